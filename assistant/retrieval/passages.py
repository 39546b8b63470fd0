"""What search returns: a chunk with the title of its document and a score."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.models import Chunk


@dataclass(frozen=True)
class Passage:
    chunk: Chunk
    title: str
    score: float
