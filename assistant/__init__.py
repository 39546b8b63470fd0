"""The assistant: retrieval over the ingested corpus and the edges (API, CLI) that reach it."""
