"""Reading a horizontal band of a PDF page with pdfplumber, in one column or two, told by where the
words stand.

pypdf's layout text is a character grid: when the right column's lines start a character or two
apart (a justified line, a footnote mark), or a heading or table crosses the page, no grid column
stays blank and the two columns are read across, line by line. The words' own positions show the
gutter all the same: a vertical line in the middle third of the page that no word crosses on most
lines. Lines that cross it (a running header, a full-width heading or table) are read where they
stand; each run of lines between them is read left column first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from ingest.loaders.pdf_paragraphs import marked_text

_MIN_GAP = 6.0  # points between the columns; a justified line's word gaps are narrower
_LINE_TOLERANCE = 2.0  # points: words whose tops differ by less sit on one line
_PROSE_WORDS = 5  # a side of a line with this many words reads as prose, not a table cell
_MIN_PROSE_LINES = 6
_EDGE_SLACK = 3.0  # points either side of the right column's edge
_INDENT = 15.0  # points: a first-line indent
_MIN_RUN = 3  # open lines, read as two columns
_OPEN_SHARE = 0.6  # of the band's lines, the gutter is open on at least this share


@dataclass
class Band:
    lines: list[str]
    two_columns: bool  # read left column first
    marked: bool  # its paragraph breaks are blank lines (`pdf_paragraphs`) throughout


def read_band(band: Any, width: float, lines_of: Callable[[str], list[str]]) -> Band:
    """The band's lines (layout text -> lines through `lines_of`), paragraphs set apart by blank
    lines. `band` is a pdfplumber page or crop."""
    lines = _lines(band.extract_words())
    gutter = _gutter(lines, width)
    if gutter is None:
        text, marked = marked_text(band)
        return Band(lines_of(text), False, marked)
    edge = _right_edge(lines, gutter)
    crossing = [_crosses(line, gutter) or not _starts_at(line, gutter, edge) for line in lines]
    for start, end in _runs(crossing, False):
        if end - start < _MIN_RUN:  # one or two open lines amid full-width ones: a table's header
            crossing[start:end] = [True] * (end - start)
    out: list[str] = []
    marked = True
    for crossing_run, run in groupby(zip(crossing, lines, strict=True), key=lambda pair: pair[0]):
        words = [word for _, line in run for word in line]
        top = min(w["top"] for w in words) - 0.5
        bottom = max(w["bottom"] for w in words) + 0.5
        boxes = (
            [(0, top, width, bottom)]
            if crossing_run
            else [(0, top, gutter, bottom), (gutter, top, width, bottom)]
        )
        for box in boxes:
            text, placed = marked_text(band.crop(box, strict=False))
            # A full-width run (a heading, a table) stands apart; a paragraph may run on from the
            # foot of the left column to the head of the right one.
            out.extend(["", *lines_of(text), ""] if crossing_run else lines_of(text))
            marked = marked and placed
    return Band(out, True, marked)


def _right_edge(lines: list[list[dict]], gutter: float) -> float:
    """Where the right column's lines start: the commonest left end of their first word."""
    starts = [round(start) for line in lines if (start := _right_start(line, gutter)) is not None]
    return max(set(starts), key=starts.count)


def _starts_at(line: list[dict], gutter: float, edge: float) -> bool:
    """The line's right part, if any, starts at the right column's edge (an indent allowed): a
    table header's cells right of the gutter start anywhere."""
    start = _right_start(line, gutter)
    return start is None or edge - _EDGE_SLACK <= start <= edge + _INDENT


def _right_start(line: list[dict], gutter: float) -> float | None:
    """The left end of the line's first word right of the gutter, if any."""
    return min((w["x0"] for w in line if w["x0"] >= gutter), default=None)


def _runs(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """[start, end) of each run of `value` in `flags`."""
    runs: list[tuple[int, int]] = []
    start = 0
    for key, group in groupby(flags):
        end = start + len(list(group))
        if key == value:
            runs.append((start, end))
        start = end
    return runs


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines by their tops, top to bottom."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] - lines[-1][0]["top"] < _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _crosses(line: list[dict], x: float) -> bool:
    return any(w["x0"] - _MIN_GAP / 2 < x < w["x1"] + _MIN_GAP / 2 for w in line)


def _gutter(lines: list[list[dict]], width: float) -> float | None:
    """The x that the fewest lines cross in the middle third of the page, if it is open on most
    lines and has prose on both sides of it."""
    if len(lines) < _MIN_PROSE_LINES:
        return None
    candidates = [width / 3 + step for step in range(int(width / 3))]
    crossed = [sum(1 for line in lines if _crosses(line, x)) for x in candidates]
    fewest = min(crossed)
    first = crossed.index(fewest)
    last = first
    while last + 1 < len(crossed) and crossed[last + 1] == fewest:
        last += 1
    best = candidates[(first + last) // 2]  # the middle of the open stretch
    open_lines = [line for line in lines if not _crosses(line, best)]
    if len(open_lines) < _OPEN_SHARE * len(lines):
        return None
    # Prose on both sides: lines of several words left of it, and right of it (the two columns'
    # lines need not share baselines).
    left = sum(1 for line in open_lines if sum(1 for w in line if w["x1"] <= best) >= _PROSE_WORDS)
    right = sum(1 for line in open_lines if sum(1 for w in line if w["x0"] >= best) >= _PROSE_WORDS)
    return best if min(left, right) >= _MIN_PROSE_LINES / 2 and left + right >= _MIN_PROSE_LINES else None
