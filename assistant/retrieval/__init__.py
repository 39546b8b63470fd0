"""Retrieval: hybrid search over the ingested chunks."""
