"""Reading a page's layout text (pypdf's layout mode, which keeps columns aligned with spaces):
two-column pages read column by column, and wide gaps told apart from table cells."""

from __future__ import annotations

import re
from typing import Literal

_GAP = re.compile(r" {3,}")
_MIN_LINES = 8
_UNSURE_SHARE = 0.5
Columns = Literal["one", "two", "unsure"]
_HOLE = " " * 6
_PROSE_ENDS = set(',.;:"”’)-')
_FIGURE = re.compile(r"[\d.,%$()–-]+")


def column_gutter(lines: list[str]) -> tuple[int, int] | None:
    """The gutter of a page laid out in two columns (character positions), or None."""
    body = [line for line in lines if line.strip()]
    return _gutter(body) if len(body) >= _MIN_LINES else None


def columns_unsure(lines: list[str]) -> bool:
    """No clean gutter, yet some position of the middle third is blank on half the lines or more:
    maybe two columns whose edges the grid blurred, maybe a table. (On a page of one column of
    prose, lines run across the middle.)"""
    body = [line for line in lines if line.strip()]
    if len(body) < _MIN_LINES:
        return False
    width = max(len(line) for line in body)
    middle = range(width // 3, 2 * width // 3)
    blank = [sum(1 for line in body if c >= len(line) or line[c] == " ") for c in middle]
    return max(blank, default=0) >= _UNSURE_SHARE * len(body)


def split_columns(lines: list[str], gutter: tuple[int, int] | None) -> list[str]:
    """A page laid out in two columns, as one column: the left column's lines, then the right's.

    The gutter is a band of blank character positions in the middle third of the page, blank on
    nearly every line, with text on both sides of it on most lines. Lines that cross it (a
    running header, a full-width table or heading) stay where they are and cut the page into
    runs, each run read left column first. `gutter` is `column_gutter(lines)`."""
    if gutter is None:
        return lines
    body = [line for line in lines if line.strip()]
    start, end = gutter
    edge = _right_edge(body, end)
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []
    crossing = False

    def flush() -> None:
        out.extend(left)
        out.extend(right)
        left.clear()
        right.clear()

    for line in lines:
        rest = line[end:]
        indent = len(rest) - len(rest.lstrip())
        if (
            line[start:end].strip()
            or (rest.strip() and end + indent > edge + 4)
            or (crossing and not rest.strip())
        ):
            # Across the gutter, or a right part that does not start at the right column's edge:
            # a full-width line (a running header, a table row), read where it stands.
            crossing = bool(line.strip()) or crossing
            flush()
            out.append(line)
            continue
        crossing = False
        left.append(line[:start].rstrip())
        if rest.strip():
            right.append(rest.rstrip())
    flush()
    return out


def _right_edge(body: list[str], end: int) -> int:
    """Where the right column's lines start: the commonest first position right of the gutter."""
    starts = [end + len(line[end:]) - len(line[end:].lstrip()) for line in body if line[end:].strip()]
    return max(set(starts), key=starts.count) if starts else end


def _gutter(body: list[str]) -> tuple[int, int] | None:
    """The widest band of the middle third blank on as many lines as any position there is, if
    that is nearly every line."""
    width = max(len(line) for line in body)
    middle = range(width // 3, 2 * width // 3)
    blank = {c: sum(1 for line in body if c >= len(line) or line[c] == " ") for c in middle}
    most = max(blank.values(), default=0)
    if most < 0.85 * len(body):
        return None
    best: tuple[int, int] | None = None
    run_start: int | None = None
    for c in [*middle, middle.stop]:
        if c in blank and blank[c] >= most - 1:
            run_start = c if run_start is None else run_start
            continue
        if run_start is not None and (best is None or c - run_start > best[1] - best[0]):
            best = (run_start, c)
        run_start = None
    if best is None or best[1] - best[0] < 2:
        return None
    start, end = best
    # Columns of prose fill their width on most lines, with no wide holes (a justified line
    # spreads its words by a few spaces at most); a table's cells, blank band or not, do not.
    right_width = width - end

    def prose(part: str, room: int) -> bool:
        return len(part.strip()) >= 0.6 * room and _HOLE not in part.strip()

    full = sum(1 for line in body if prose(line[:start], start) and prose(line[end:], right_width))
    both = sum(1 for line in body if line[:start].strip() and line[end:].strip())
    return best if full >= max(6, 0.4 * both) else None


def cells(line: str) -> list[str]:
    """A line's cells when it reads as a table row, else the line alone.

    Justified text also spreads words with wide gaps, most of all in a narrow column: a line
    whose every gap is wide and about equal and whose "cells" are all single words is a line of
    text, not a row, when it has four words or more, or two or three that read as prose (one
    ends in punctuation or a hyphen, or starts in lower case: "ship,   Independence/equality,
    Non-interfer-"), where a short row reads "Activities   Schedule" or "27   21   34"."""
    stripped = line.strip()
    parts = _GAP.split(stripped)
    if len(parts) < 2:
        return [re.sub(r"\s+", " ", stripped)]
    words = stripped.split()
    gaps = [len(gap) for gap in _GAP.findall(stripped)]
    if len(parts) == len(words) and max(gaps) - min(gaps) <= 1 and (len(words) >= 4 or _prose_words(words)):
        return [" ".join(words)]
    return parts


def _prose_words(words: list[str]) -> bool:
    return any(word[-1] in _PROSE_ENDS or word[0].islower() for word in words) and not all(
        _FIGURE.fullmatch(word) for word in words
    )
