"""Read a sample document's text rendering (Markdown-ish, tables as tab-separated lines) into
headings, paragraphs and tables, so that each PDF producer lays out the same content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LONE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"<(https?://[^>]+)>")
_TAG = re.compile(r"</?(?:b|i|u|em|strong|br|sup|sub)\s*/?>", re.I)  # markup some renderings kept


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "bullet" or "table"
    text: str = ""
    level: int = 1
    rows: list[list[str]] = field(default_factory=list)  # tables: the first row is the header


def plain(text: str) -> str:
    """Markdown emphasis and angle-bracket links as the reader sees them."""
    text = _TAG.sub("", _LINK.sub(r"\1", text))
    for _ in range(2):  # nested emphasis such as ***x***
        text = _EMPHASIS.sub(r"\2", text)
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def read_blocks(text: str) -> list[Block]:
    """Page numbers the text rendering kept (lone numbers, `## 4`) are dropped: each producer
    prints its own."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = plain(" ".join(paragraph))
            if joined:
                blocks.append(Block("paragraph", joined))
            paragraph.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if "\t" in line and len([c for c in line.split("\t") if c.strip()]) >= 2:
            flush()
            cells = [plain(cell) for cell in line.rstrip("\n").split("\t")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
            continue
        if not stripped or _LONE_NUMBER.match(stripped):
            flush()
            continue
        if stripped.startswith("#"):
            flush()
            level = len(stripped) - len(stripped.lstrip("#"))
            title = plain(stripped.lstrip("#"))
            if title and not _LONE_NUMBER.match(title):
                blocks.append(Block("heading", title, level=min(level, 4)))
            continue
        if stripped.startswith(("- ", "• ", "– ")):
            flush()
            blocks.append(Block("bullet", plain(stripped[2:])))
            continue
        paragraph.append(stripped)
    flush()
    return [_square(b) if b.kind == "table" else b for b in blocks]


def _square(table: Block) -> Block:
    """Rows padded to the widest row, so every producer draws a grid."""
    width = max(len(row) for row in table.rows)
    table.rows = [row + [""] * (width - len(row)) for row in table.rows]
    return table
