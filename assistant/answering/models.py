"""What an answer is made of: sentences with markers, and the citations those markers point to."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Citation:
    """Marker `[n]` of an answer: where the supporting words are, and the words themselves."""

    marker: int
    chunk_id: str
    document_id: str
    title: str
    page: int
    section: str
    quote: str
    page_label: str | None = None  # the page as printed, when it differs from the physical page
    ocr: bool = False  # the quote was read by OCR from a scanned page


@dataclass(frozen=True)
class EntityRef:
    """An agency, fund, agreement, programme or country from the catalogue that an answer names."""

    id: str
    name: str
    type: str
    acronym: str | None
    # Where the answer text names it: (start, end) character offsets, so a client can mark it.
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Answer:
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    closest_documents: list[str] = field(default_factory=list)
    conversation_id: str | None = None
    entities: list[EntityRef] = field(default_factory=list)
    # The sentences a language model wrote from the evidence, when it did; they lead `text`, and
    # the quoted sentences they were written from follow.
    written: str = ""
    written_dropped: int = 0  # written sentences the gate did not let through


@dataclass(frozen=True)
class DraftSentence:
    """A generator's sentence and the 1-based passage numbers it claims support from."""

    text: str
    markers: tuple[int, ...]
    quote: str | None = None  # the verbatim span an extractive generator took the sentence from


@dataclass(frozen=True)
class Writing:
    """Streamed once the quoted answer is out and a language model starts writing its answer."""


@dataclass(frozen=True)
class Written:
    """A checked sentence of the written answer, with its markers, as soon as it is complete."""

    text: str


# What an answer streams: quoted sentences (str), then, with a language model, `Writing` and its
# `Written` sentences, and last the whole `Answer`.
AnswerEvent = str | Writing | Written | Answer
