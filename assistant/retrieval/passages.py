"""What search returns: a chunk with the title of its document and a score."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.models import Chunk


@dataclass(frozen=True)
class Passage:
    """`chunk` is what matched; `context` is the window of its section returned around it (in order)."""

    chunk: Chunk
    title: str
    score: float
    context: tuple[Chunk, ...] = ()

    @property
    def parts(self) -> tuple[Chunk, ...]:
        return self.context or (self.chunk,)

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.parts)

    @property
    def page(self) -> int:
        return min(c.page for c in self.parts)

    @property
    def page_end(self) -> int:
        return max(c.page_end for c in self.parts)
