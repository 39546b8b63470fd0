"""Table header-cell accuracy: for each table of a sample document (the ground truth written by
`bench-corpus`), the table the product read from the PDF that holds most of its rows, and the share
of the true header's cells found in that table's header."""

from __future__ import annotations

import re

from ingest.models import Page
from ingest.structure import parse_blocks


def _key(text: str) -> str:
    """Cell text as compared: markup of the text rendering (<b>) and everything but letters and
    digits aside."""
    return re.sub(r"\W+", "", re.sub(r"</?[a-z]+>", "", text)).lower()


def header_cells(truth: list[list[list[str]]], pages: list[Page]) -> tuple[int, int]:
    """(header cells found, header cells in the ground truth) over one document's tables."""
    read = [b for b in parse_blocks(pages) if b.kind == "table"]
    found = total = 0
    for rows in truth:
        if len(rows) < 2:
            continue
        header = [cell for cell in rows[0] if _key(cell)]
        if not header:
            continue
        total += len(header)
        body = {_key(" ".join(row)) for row in rows[1:]}
        best = max(read, key=lambda b: len(body & {_key(r.replace("\t", " ")) for r in b.rows}), default=None)
        if best is None or not body & {_key(r.replace("\t", " ")) for r in best.rows}:
            continue
        heading = _key(" ".join([best.caption, *best.header]).replace("\t", " "))
        found += sum(1 for cell in header if _key(cell) in heading)
    return found, total
