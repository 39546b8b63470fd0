"""The protocol every answer generator follows; the wiring picks one by setting."""

from __future__ import annotations

from typing import Protocol

from assistant.answering.models import DraftSentence
from assistant.retrieval.passages import Passage


class Generator(Protocol):
    """Drafts an answer from numbered passages (1-based); the grounding gate checks it afterwards."""

    name: str

    def draft(self, question: str, passages: list[Passage]) -> list[DraftSentence]: ...
