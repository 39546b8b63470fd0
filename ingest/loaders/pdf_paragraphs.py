"""Paragraph breaks and headings read from where a PDF's lines stand and the font they are set in.

Layout text keeps a page's lines but loses its paragraphs: a report sets paragraphs and headings
apart by a little extra space (less than a blank line) or by a bold or larger font, and the text
shows neither. Left to guess from the text (a short line before a capital), `reflow` cuts a
narrow column's lines apart at "Guatemala," / "Honduras" and runs a heading into its paragraph.
Here a blank line goes wherever the next line stands lower than the usual line pitch allows, and
around lines set in a heading's font; the page is then reflowed by those blank lines alone."""

from __future__ import annotations

import re
import statistics
from itertools import pairwise
from typing import Any

_GAP = 1.3  # times the usual distance between baselines: more is a paragraph break
_LARGER = 1.12  # times the body text's size: a heading
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_EDGE = 1.5  # points: a line ending this close to the column's right edge reaches it
_SPACE = 0.2  # of the type size: a gap this wide between glyphs is a word space
_EVEN = 0.5  # points: word spaces this close in width are one justified line's
_CELL_GAP = re.compile(r"\S {3,}\S")  # a table row's cells, in layout text


def marked_text(region: Any) -> tuple[str, bool]:
    """The region's layout text with a blank line at each paragraph break and around headings,
    and whether the breaks could be placed (the layout lines and pdfplumber's text lines agree)."""
    layout = region.extract_text(layout=True) or ""
    lines = [line for line in layout.splitlines() if line.strip()]
    try:
        placed = region.extract_text_lines(return_chars=True)
    except Exception:  # pdfminer trips on some pages: keep the layout text as it is
        return layout, False
    if len(placed) != len(lines) or not lines:
        return layout, False
    body = _body_font(placed)
    pitch = _pitch(placed)
    heading = [_is_heading(line, body) for line in placed]
    right = max(line["x1"] for line in placed)
    lines = [
        _single_spaced(text) if _justified(line, right) else text
        for text, line in zip(lines, placed, strict=True)
    ]
    out = [lines[0]]
    for i in range(1, len(lines)):
        tabular = bool(_CELL_GAP.search(lines[i - 1].strip()) and _CELL_GAP.search(lines[i].strip()))
        lower = placed[i]["bottom"] - placed[i - 1]["bottom"] > _GAP * pitch
        if heading[i] != heading[i - 1] or (lower and not tabular):
            out.append("")
        out.append(lines[i])
    return "\n".join(out), True


def _justified(line: dict, right: float) -> bool:
    """A line of prose spread to the column's right edge by equal word spaces: its wide spaces
    are no table cells ("A   SUMMARY   TABLE:   MULTILATERAL")."""
    chars = sorted((c for c in line["chars"] if not c["text"].isspace()), key=lambda c: c["x0"])
    if not chars or line["x1"] < right - _EDGE or not any(c["text"].isalpha() for c in chars):
        return False
    size = statistics.median(float(c.get("size", 0.0)) for c in chars)
    spaces = [b["x0"] - a["x1"] for a, b in pairwise(chars) if b["x0"] - a["x1"] > _SPACE * size]
    return len(spaces) >= 2 and max(spaces) - min(spaces) <= _EVEN


def _single_spaced(text: str) -> str:
    indent = text[: len(text) - len(text.lstrip())]
    return indent + " ".join(text.split())


def _body_font(lines: list[dict]) -> tuple[bool, float]:
    """(bold, size) of most of the region's characters."""
    fonts = [_font(char) for line in lines for char in line["chars"] if not char["text"].isspace()]
    return max(set(fonts), key=fonts.count) if fonts else (False, 0.0)


def _font(char: dict) -> tuple[bool, float]:
    return bool(_BOLD.search(char.get("fontname", ""))), round(float(char.get("size", 0.0)), 1)


def _is_heading(line: dict, body: tuple[bool, float]) -> bool:
    """Nearly all of the line is bold where the body is not, or larger than the body."""
    fonts = [_font(char) for char in line["chars"] if not char["text"].isspace()]
    if not fonts or body[1] <= 0:
        return False
    bold = sum(1 for is_bold, _ in fonts if is_bold) >= 0.8 * len(fonts) and not body[0]
    larger = statistics.median(size for _, size in fonts) >= _LARGER * body[1]
    return bold or larger


def _pitch(lines: list[dict]) -> float:
    """The usual distance between consecutive baselines: the lower quartile, so that the breaks
    themselves do not set it (a line's bottom, unlike its top, ignores superscripts)."""
    steps = sorted(b["bottom"] - a["bottom"] for a, b in pairwise(lines) if b["bottom"] > a["bottom"])
    return steps[len(steps) // 4] if steps else float("inf")
