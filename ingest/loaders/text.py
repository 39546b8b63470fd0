"""Plain text and Markdown: headings are sections; lone page numbers give the printed page."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.errors import IngestError
from ingest.models import LoadedDocument, Page

# A page marker is a line holding only a page number, optionally as a Markdown heading or bold:
# "12", "## 12", "## **12**". Converters of PDFs leave these where the printed page number stood.
_PAGE_MARKER = re.compile(r"^ *(?:#{1,6} *)?(?:\*\*)? *(\d{1,4}) *(?:\*\*)? *$")
_MAX_BYTES = 50 * 1024 * 1024


def load(path: Path) -> LoadedDocument:
    raw = path.read_bytes()
    if len(raw) > _MAX_BYTES:
        raise IngestError(f"text file larger than {_MAX_BYTES // (1024 * 1024)} MiB")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw[:4096]:
        raise IngestError("binary content in a text file")
    else:
        text = _decode(raw)
    if not text.strip():
        raise IngestError("empty file")
    pages = split_pages(text)
    return LoadedDocument(pages=pages, source_format="markdown" if path.suffix.lower() != ".txt" else "text")


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def split_pages(text: str) -> list[Page]:
    """Cut text at page markers; a marker N closes printed page N (page numbers are footers).

    Markers are only trusted when they increase; with sparse markers (every other page) a
    segment spans a page range, which is kept rather than guessed.
    """
    segments: list[tuple[int, int, list[str]]] = []
    current: list[str] = []
    previous = 0
    for line in text.splitlines():
        match = _PAGE_MARKER.match(line)
        number = int(match.group(1)) if match else 0
        if match and previous < number <= previous + 40 and _outside_table(current):
            start = previous + 1 if previous else 1
            segments.append((start, number, current))
            current = []
            previous = number
            continue
        current.append(line)
    if any(line.strip() for line in current):
        start = previous + 1
        segments.append((start, start, current))
    pages = []
    for start, end, lines in segments:
        body = "\n".join(lines).strip("\n")
        if body.strip():
            pages.append(Page(number=start, number_end=end if end != start else None, text=body))
    if not pages:
        raise IngestError("no text found")
    return pages


def _outside_table(lines: list[str]) -> bool:
    """A lone number right after a table row is a cell of that table, not a page marker."""
    return not lines or "\t" not in lines[-1]
