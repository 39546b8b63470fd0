"""The protocol every answer generator follows; the wiring picks one by setting."""

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
