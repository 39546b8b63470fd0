"""Ingest: files in, structured chunks out, stored in Chroma beside a lexical index."""
