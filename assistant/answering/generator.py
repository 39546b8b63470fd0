"""The protocol of the answer generator: the extractive reader by default, or a stand-in in tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from assistant.answering.models import DraftSentence
from assistant.retrieval.passages import Passage


class Generator(Protocol):
    """Drafts an answer from numbered passages (1-based); the grounding gate checks each sentence.

    A generator may yield sentences as it produces them (the answer then streams); drafting nothing
    means it judged that the passages do not answer."""

    name: str

    def draft(self, question: str, passages: list[Passage]) -> Iterable[DraftSentence]: ...

    def ranked_units(self, question: str, passages: list[Passage]) -> list[DraftSentence]:
        """The units a language model may read, best first (the reader's own ranking)."""
        ...
