"""Undo what page layout adds: running headers and footers, page numbers, hyphenation, wrapping."""

from __future__ import annotations

import itertools
import re
from collections import Counter

from ingest.normalise import join_broken_word

_DIGITS = re.compile(r"\d+")
# A page number as printed: "12", "p. 12", "Página 12", "2/9", "Page 3 of 9".
_PAGE_WORD = r"(?:page\s+|p\.\s*|pág(?:ina)?\.?\s+)?"
_PAGE_COUNT = r"(?:\s*(?:/|of|de)\s*\d{1,4})?"
_LONE_NUMBER = re.compile(rf"^{_PAGE_WORD}\d{{1,4}}{_PAGE_COUNT}$", re.I)
# What a browser prints around each page: a date and time (with the page title beside it), the
# page's address (with a "2/9" counter beside it). At a page's edge, such a line is furniture.
_BROWSER_LINE = re.compile(
    r"^(?:\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s.*)?"
    r"|file://\S+|(?:file|https?)://\S+\s+\d{1,4}\s*/\s*\d{1,4})$"
)
# What OCR reads from a speck before a line: a quote mark, a bullet, a stray dot or dash.
_SPECKS = "'\"‘’“”`.,·•-_~ "
_EDGE = 3  # lines at the top and bottom of a page where running headers and footers live


def remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop lines repeated at the top or bottom of many pages, and lone page numbers there."""
    counts: Counter[str] = Counter()
    variants: dict[str, set[str]] = {}
    for lines in pages:
        counts.update({_normalise(line) for line in _edges(lines)})
        for line in _edges(lines):
            variants.setdefault(_normalise(line), set()).add(line.strip())
    threshold = max(2, int(0.5 * len(pages) + 0.5)) if len(pages) >= 3 else 2
    repeated = {key for key, n in counts.items() if key and n >= threshold and len(pages) >= 2}
    cleaned = []
    seen_rows: set[str] = set()
    for lines in pages:
        body = [line for line in lines if line.strip()]
        edge = set(range(min(_EDGE, len(body)))) | set(range(max(0, len(body) - _EDGE), len(body)))
        kept: list[str] = []
        i = -1  # the line's place among the page's non-blank lines; blank lines are kept
        for line in lines:
            if not line.strip():
                if kept and kept[-1]:
                    kept.append("")
                continue
            i += 1
            key = _normalise(line)
            if i in edge and (_LONE_NUMBER.match(line.strip()) or _BROWSER_LINE.match(_unspecked(line))):
                continue
            if i in edge and key in repeated:
                # A table header repeated on continuation pages is kept once; furniture (a footer
                # whose page number changes, a running title) never.
                if "\t" not in line or len(variants[key]) > 1 or key in seen_rows:
                    continue
                seen_rows.add(key)
            kept.append(line)
        cleaned.append(kept)
    return cleaned


_ROMAN_NUMERAL = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PRINTED = re.compile(rf"^{_PAGE_WORD}(\d{{1,4}}|{_ROMAN_NUMERAL}){_PAGE_COUNT}$", re.I)
_ROMAN = re.compile(rf"^{_ROMAN_NUMERAL}$", re.I)


def _unspecked(line: str) -> str:
    """The line with its spaces evened and any specks before its first word taken off."""
    return " ".join(line.split()).lstrip(_SPECKS)


def printed_page_numbers(pages: list[list[str]]) -> list[str | None]:
    """The number each page prints at its top or bottom ("iv", "12", "Page 3 of 9"), trusted only
    when the arabic ones mostly count up by one from page to page."""
    found: list[str | None] = []
    for lines in pages:
        # A lone number, or one standing in its own cell at either end of a header or footer line.
        candidates = [part for line in _edges(lines) for part in (line, *_end_cells(line))]
        numbers = [m.group(1) for part in candidates if (m := _PRINTED.match(" ".join(part.split())))]
        found.append(numbers[-1].lower() if numbers else None)
    arabic = [(i, int(n)) for i, n in enumerate(found) if n and n.isdigit()]
    steps = [b - a == j - i for (i, a), (j, b) in itertools.pairwise(arabic)]
    if len(arabic) < 2 or sum(steps) < 0.6 * len(steps):
        return [None] * len(found)
    return found


def _end_cells(line: str) -> tuple[str, ...]:
    cells = line.split("\t")
    return (cells[0], cells[-1]) if len(cells) > 1 else ()


def _edges(lines: list[str]) -> list[str]:
    body = [line for line in lines if line.strip()]
    return body[:_EDGE] + body[-_EDGE:]


def _normalise(line: str) -> str:
    """Compare lines up to their page numbers. Table rows keep their digits (rows differ by them),
    losing only a page number standing alone in the first or last cell."""
    if "\t" in line:
        cells = [cell.strip().lower() for cell in line.strip().split("\t")]
        if len(cells) > 1 and cells[-1].isdigit():
            cells = cells[:-1]
        if len(cells) > 1 and cells[0].isdigit():
            cells = cells[1:]
        return "\t".join(cells)
    return _DIGITS.sub("#", re.sub(r"\s+", " ", line.strip().lower()))


def reflow(lines: list[str], compounds: set[str] | None = None, breaks_marked: bool = False) -> str:
    """Join wrapped lines into paragraphs, undo end-of-line hyphenation (keeping the hyphen of a
    compound the document writes with one), keep table rows and headings. Where the reader has
    marked every paragraph break with a blank line (`breaks_marked`), only those end a paragraph;
    otherwise a short line before a capital does too."""
    out: list[str] = []
    paragraph = ""
    width = max((len(line) for line in lines if "\t" not in line), default=80)

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            out.append(paragraph)
            out.append("")
            paragraph = ""

    for i, line in enumerate(lines):
        next_line = lines[i + 1] if i + 1 < len(lines) else ""
        if "\t" in line:
            flush()
            out.append(line)
            if "\t" not in next_line:
                out.append("")
            continue
        if not line.strip():
            flush()
            continue
        if paragraph and _starts_block(line):
            flush()
        joined = join_broken_word(paragraph, line, compounds or set())
        paragraph = joined or (f"{paragraph} {line}" if paragraph else line)
        if not breaks_marked and _ends_block(line, next_line, width):
            flush()
    flush()
    return "\n".join(out).strip()


_LIST_START = re.compile(r"^(?:[-•▪●◦*]\s|\(?[0-9ivxIVX]{1,4}[.)]\s|\(?[a-z][.)]\s)")


def _starts_block(line: str) -> bool:
    return bool(_LIST_START.match(line))


def _ends_block(line: str, next_line: str, width: int) -> bool:
    """A short line followed by a capital ends its block: a heading, or a paragraph's last line."""
    if not next_line.strip() or "\t" in next_line:
        return True
    return len(line) < 0.7 * width and next_line[:1].isupper()


_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def mend_table_rows(pages: list[list[str]]) -> list[list[str]]:
    """Pages whose table rows have the words their narrow cells broke across lines joined again
    ("Educati on" -> "Education", "UNDP-L AC" -> "UNDP-LAC", "MIDE- PLAN" -> "MIDEPLAN"). Two
    pieces are joined only when the document's running text writes them as one word and does not
    write both pieces alone, so "a round" stays two words."""
    prose = "\n".join(line for lines in pages for line in lines if "\t" not in line)
    prose = re.sub(r"(\w)-\n(\w)", r"\1\2", prose)  # "develop-" + "ment": "ment" is no word
    words = {word.lower() for word in _WORD.findall(prose)}
    return [[_mend_row(line, words) if "\t" in line else line for line in lines] for lines in pages]


def _mend_row(row: str, words: set[str]) -> str:
    return "\t".join(_mend(cell, words) for cell in row.split("\t"))


def _mend(cell: str, words: set[str]) -> str:
    pieces = cell.split(" ")
    out: list[str] = []
    for piece in pieces:
        if out and _broken(out[-1], piece, words):
            head = out.pop()
            out.append(head[:-1] + piece if head.endswith("-") else head + piece)
        else:
            out.append(piece)
    return " ".join(out)


def _broken(head: str, tail: str, words: set[str]) -> bool:
    first, last = _WORD.findall(head), _WORD.findall(tail)
    if not first or not last or not tail.startswith(last[0]):
        return False
    if not head.endswith((first[-1], f"{first[-1]}-")):
        return False
    a, b = first[-1].lower(), last[0].lower()
    return a + b in words and not (a in words and b in words)
