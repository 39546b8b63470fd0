"""Ruled tables read cell by cell with pdfplumber (on pdfminer), where pypdf's layout text cannot
keep them: blank cells vanish from aligned text and a header cell wrapped over three lines turns
into three rows. pdfplumber finds the ruling lines and returns each cell whole, so a row keeps its
columns and the header its words. It is slower than pypdf, so it only reads pages whose layout
text already looks tabular."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ingest.loaders.pdf_bands import Band, read_band
from ingest.loaders.pdf_layout import Columns
from ingest.normalise import normalise_text

MIN_ROWS = 2
_WIDE = 0.6  # of the page's width: a table this wide crosses the gutter
_EDGE = 1.5  # points: column edges this close are the same column
_GAP = 60.0  # points between two pieces of one table: room for a group label or two


def page_lines(page: Any, lines: list[str], columns: Columns, lines_of: Callable[[str], list[str]]) -> Band:
    """The page's lines read again where pypdf's (`lines`) fall short, ruled tables as
    tab-separated rows and the text around them band by band through `lines_of` (layout text ->
    lines):
    - a page in two columns, or maybe in two, is read by its words' positions (`pdf_bands`) when
      a band is in two columns and no table stands within a column (the bands around such a table
      would cut through the other column's text);
    - otherwise a two-column page gets back the tables its column reading tore apart;
    - and any other page is read around its ruled tables, if it has any."""
    tables = _tables(page)
    read: Band | None = None
    if columns != "one" and all(t.bbox[2] - t.bbox[0] >= _WIDE * page.width for t in tables):
        read = _read_page(page, tables, lines_of)
        if read.two_columns:
            return read
    if columns == "two":
        return Band(_splice(tables, lines), two_columns=True, marked=False)
    if not tables:
        return Band(lines, two_columns=False, marked=False)
    return read or _read_page(page, tables, lines_of)


def _read_page(page: Any, tables: list[Any], lines_of: Callable[[str], list[str]]) -> Band:
    """The page's tables and the bands between them."""
    read = Band([], two_columns=False, marked=True)
    top = 0.0
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        _, table_top, _, bottom = table.bbox
        _add(read, _band(page, top, table_top, lines_of))
        read.lines.extend(["", *table_rows(table.extract()), ""])
        top = max(top, bottom)
    _add(read, _band(page, top, page.height, lines_of))
    return read


def _add(read: Band, band: Band) -> None:
    read.lines.extend(band.lines)
    read.two_columns = read.two_columns or band.two_columns
    read.marked = read.marked and band.marked


def _band(page: Any, top: float, bottom: float, lines_of: Callable[[str], list[str]]) -> Band:
    if bottom - top < 1:
        return Band([], two_columns=False, marked=True)
    try:
        return read_band(page.crop((0, top, page.width, bottom), strict=False), page.width, lines_of)
    except Exception:
        return Band([], two_columns=False, marked=False)


def table_rows(cells: list[list[str | None]]) -> list[str]:
    """Rows as tab-separated lines; a header in two rows (group labels over column labels) becomes
    one header row whose cells carry both ("Level of Agreement: Expression of Interest")."""
    rows = [[" ".join(normalise_text(cell or "").split()) for cell in row] for row in cells]
    rows = [row for row in rows if any(row)]
    if len(rows) >= 3 and _is_group_row(rows[0]) and _is_label_row(rows[1]):
        group, merged = "", []
        for above, below in zip(rows[0], rows[1], strict=False):
            group = above or group
            merged.append(f"{group}: {below}" if group and below and group != below else (below or group))
        rows = [merged, *rows[2:]]
    return ["\t".join(row) for row in rows]


def _is_group_row(row: list[str]) -> bool:
    filled = [cell for cell in row if cell]
    return 0 < len(filled) <= len(row) / 2


def _is_label_row(row: list[str]) -> bool:
    filled = [cell for cell in row if cell]
    numbers = sum(1 for cell in filled if cell.replace(".", "").replace(",", "").isdigit())
    return len(filled) >= len(row) / 2 and numbers <= len(filled) / 4


def _splice(tables: list[Any], lines: list[str]) -> list[str]:
    """A two-column page's lines with its ruled tables put back together. Read as columns, a
    table whose cells straddle the gutter is torn into its left and right cells: those lines are
    taken out and the table's rows, read cell by cell, go where its first cell stood."""
    for table in tables:
        rows = table.extract()
        texts = [normalise_text(cell) for row in rows for cell in row if cell]
        pieces = {
            " ".join(part.split()) for text in texts for part in [text, *text.splitlines()] if part.strip()
        }
        torn = {i for i, line in enumerate(lines) if line.strip() and " ".join(line.split()) in pieces}
        if len(torn) < MIN_ROWS:
            continue
        at = min(torn)
        kept = [line for i, line in enumerate(lines) if i not in torn]
        lines = [*kept[:at], "", *table_rows(rows), "", *kept[at:]]
    return lines


@dataclass
class _Joined:
    """Ruled tables stacked on the same columns, read as one: a header row ruled apart from the
    body, or a body cut by full-width group labels ("Americas and Caribbean", "Africa"), which
    pdfplumber returns as separate tables. The labels between them become rows of their own."""

    parts: list[Any]
    between: list[list[str]] = field(default_factory=list)  # the lines standing between parts

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        boxes = [t.bbox for t in self.parts]
        return (min(b[0] for b in boxes), boxes[0][1], max(b[2] for b in boxes), boxes[-1][3])

    def extract(self) -> list[list[str | None]]:
        width = len(self.parts[0].rows[0].cells)
        rows: list[list[str | None]] = list(self.parts[0].extract())
        for lines, table in zip(self.between, self.parts[1:], strict=True):
            rows += [[line, *[""] * (width - 1)] for line in lines]
            rows += table.extract()
        return rows


def _tables(page: Any) -> list[Any]:
    """The page's ruled tables of two rows or more, stacked pieces joined; none when pdfminer
    trips on the page."""
    try:
        found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    except Exception:
        return []
    joined: list[_Joined] = []
    for table in found:
        last = joined[-1] if joined else None
        if last is not None and (lines := _joins(page, last.parts[-1], table)) is not None:
            last.parts.append(table)
            last.between.append(lines)
        else:
            joined.append(_Joined([table]))
    return [
        t if len(t.parts) > 1 else t.parts[0] for t in joined if sum(len(p.rows) for p in t.parts) >= MIN_ROWS
    ]


def _joins(page: Any, above: Any, below: Any) -> list[str] | None:
    """The lines between two tables when `below` continues `above`: the same column edges, and at
    most a couple of short lines (group labels) in a gap of a few lines' height; else None."""
    edges = [_left_edges(above), _left_edges(below)]
    if len(edges[0]) != len(edges[1]) or any(abs(a - b) > _EDGE for a, b in zip(*edges, strict=True)):
        return None
    top, bottom = above.bbox[3], below.bbox[1]
    if not 0 <= bottom - top <= _GAP:
        return None
    if bottom - top < 1:
        return []
    try:
        text = page.crop((above.bbox[0], top, above.bbox[2], bottom), strict=False).extract_text() or ""
    except Exception:
        return None
    lines = [" ".join(normalise_text(line).split()) for line in text.splitlines() if line.strip()]
    return lines if len(lines) <= 2 and all(len(line) <= 60 for line in lines) else None


def _left_edges(table: Any) -> list[float]:
    return [cell[0] for cell in table.rows[0].cells if cell is not None]
