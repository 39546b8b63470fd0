"""Typed objects that cross the ingest layers: loaded pages, structural blocks, chunks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]
ChunkKind = Literal["text", "table"]


@dataclass(frozen=True)
class Page:
    """Text of one page as a loader found it; `number_end` > `number` when markers are sparse."""

    number: int
    text: str
    number_end: int | None = None
    ocr: bool = False  # read from a scanned image by OCR
    label: str | None = None  # the printed page number or /PageLabels label, when it has one

    @property
    def last(self) -> int:
        return self.number_end or self.number


@dataclass
class LoadedDocument:
    """What a loader returns: pages of light Markdown (headings `#`, tables as tab-separated lines)."""

    pages: list[Page]
    source_format: str
    title: str | None = None
    year: int | None = None  # printed plainly on the cover


@dataclass
class Block:
    """One structural unit of a document: a heading, a paragraph, a list item or a whole table."""

    kind: BlockKind
    text: str
    page: int
    page_end: int
    section: tuple[str, ...] = ()
    # For tables: caption lines and header rows, repeated on every piece when a table is split.
    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage with everything needed to cite it."""

    chunk_id: str
    document_id: str
    ordinal: int
    text: str
    page: int
    page_end: int
    section: str
    kind: ChunkKind
    language: str
    page_label: str | None = None  # the printed label of `page`, when the document has one
    ocr: bool = False  # read by OCR from a scanned page

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class DocumentRecord:
    """A stored document: catalogue entry plus what ingest learned about it."""

    document_id: str
    path: str
    sha256: str
    title: str
    language: str
    source_format: str
    page_count: int
    chunk_count: int
    publisher: str | None = None
    year: int | None = None
    kind: str | None = None
    ingest_version: str = ""


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def indexed_text(chunk: Chunk) -> str:
    """What the embedder and the lexical index see: the section path gives a passage context its own
    words often lack. The document title is embedded once per document instead (a document prior),
    so that it does not make every passage of a document look alike."""
    return f"{chunk.section}\n{chunk.text}" if chunk.section else chunk.text
