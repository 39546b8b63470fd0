"""The grounding gate, for every generator: a sentence stays only if a passage it cites supports
it, and each citation quotes the supporting words verbatim from the stored text."""

from __future__ import annotations

import re

from assistant.answering.models import Citation, DraftSentence
from assistant.answering.sentences import units
from assistant.retrieval.passages import Passage
from ingest.models import Chunk
from ingest.text_analysis import content_words

SUPPORT_SHARE = 0.6


class Grounder:
    """Grounds an answer one sentence at a time, so a streamed answer is checked as it arrives.

    Markers are renumbered in order of first use; a passage quoted twice for the same words keeps
    one citation."""

    def __init__(self, passages: list[Passage]) -> None:
        self._passages = passages
        self._citations: dict[tuple[int, str], Citation] = {}

    def add(self, sentence: DraftSentence) -> str | None:
        """The sentence with its renumbered markers, or None when no cited passage supports it."""
        markers = []
        for number in sentence.markers:
            if not 1 <= number <= len(self._passages):
                continue  # a marker pointing at no passage supports nothing
            citation = _cite(sentence, self._passages[number - 1], len(self._citations) + 1)
            if citation is None:
                continue
            key = (number, citation.quote)
            self._citations.setdefault(key, citation)
            markers.append(self._citations[key].marker)
        if not markers:
            return None
        return f"{strip_markers(sentence.text)} " + "".join(f"[{m}]" for m in dict.fromkeys(markers))

    @property
    def citations(self) -> list[Citation]:
        return sorted(self._citations.values(), key=lambda c: c.marker)


def ground(draft: list[DraftSentence], passages: list[Passage]) -> tuple[str, list[Citation]]:
    """The answer text with markers renumbered in order of first use, and its citations."""
    grounder = Grounder(passages)
    kept = [text for sentence in draft if (text := grounder.add(sentence)) is not None]
    return " ".join(kept), grounder.citations


def _cite(sentence: DraftSentence, passage: Passage, marker: int) -> Citation | None:
    quote = sentence.quote if sentence.quote and _holder(sentence.quote, passage) else None
    if quote is None:
        quote = _best_span(sentence.text, passage)
    if quote is None:
        return None
    chunk = _holder(quote, passage)
    if chunk is None:  # never send a quote that is not in the stored text
        return None
    label = chunk.page_label if chunk.page_label != str(chunk.page) else None
    return Citation(
        marker,
        chunk.chunk_id,
        chunk.document_id,
        passage.title,
        chunk.page,
        chunk.section,
        quote,
        label,
        chunk.ocr,
    )


def _holder(quote: str, passage: Passage) -> Chunk | None:
    return next((chunk for chunk in passage.parts if quote in chunk.text), None)


def _best_span(sentence: str, passage: Passage) -> str | None:
    """The shortest unit of the passage holding enough of the sentence's words, if any."""
    words = set(content_words(strip_markers(sentence)))
    if not words:
        return None
    best: tuple[float, int, str] | None = None
    for unit in units(passage.text, passage.chunk.kind):
        share = len(words & set(content_words(unit.text))) / len(words)
        if share >= SUPPORT_SHARE and (best is None or (share, -len(unit.quote)) > (best[0], best[1])):
            best = (share, -len(unit.quote), unit.quote)
    return best[2] if best else None


def strip_markers(text: str) -> str:
    """The text without its [n] citation markers."""
    return re.sub(r"\s*\[\d+\]", "", text).strip()
