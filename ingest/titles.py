"""A document's title and year when its catalogue entry does not give them: the PDF's metadata
title unless it is a file name or a producer's placeholder, else the largest-font lines of the
first page, else the first heading, else the file name made readable."""

from __future__ import annotations

import re
from pathlib import Path

_FILE_NAME = re.compile(r"\.(html?|pdf|docx?|rtf|odt|txt|md|indd|qxd|pptx?|xlsx?)$", re.I)
_PLACEHOLDER = re.compile(
    r"^(microsoft (word|powerpoint|excel) ?- |untitled|sin t[ií]tulo|sem t[ií]tulo|document\s*\d*$|title$)",
    re.I,
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def usable_metadata_title(title: str | None, path: Path) -> str | None:
    """The metadata title, unless it is junk: a file name ("report.html", "Microsoft Word -
    draft.docx"), a placeholder ("untitled"), all digits, a path or URL, or too short to name."""
    if not title:
        return None
    title = " ".join(title.split())
    if (
        len(title) < 4
        or _FILE_NAME.search(title)
        or _PLACEHOLDER.match(title)
        or title.replace(" ", "").isdigit()
        or "/" in title
        or "\\" in title
        or title.lower() in {path.stem.lower(), path.name.lower()}
    ):
        return None
    return title


def first_line(text: str, limit: int = 160) -> str | None:
    """A document's opening line; when it runs on (a page that opens with a paragraph), its first
    words up to a word boundary, marked as cut. Anything the reader wrote beats a file name."""
    line = next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")
    line = line.replace("\t", " ").strip("#*_ ")
    if sum(ch.isalpha() for ch in line) < 4:
        return None
    if len(line) <= limit:
        return line
    sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = line.rfind(" ", 0, 90)
    return line[: cut if cut > 0 else 90].rstrip(",;:") + "…"


def humanised_file_name(path: Path) -> str:
    """`ilo-2015_roundtable.report` -> "Ilo 2015 roundtable report": the last resort."""
    words = re.sub(r"[-_.]+", " ", path.stem).split()
    text = " ".join(words) or path.name
    return text[:1].upper() + text[1:]


def largest_font_lines(fragments: list[tuple[float, str]], body_sizes: list[float]) -> str | None:
    """The first run of text set in the page's largest size, when that size stands out from the
    body text (`body_sizes`: sizes of the text on the next pages, or this one). `fragments`:
    (font size in points, text) in reading order."""
    sized = [(round(size, 1), " ".join(text.split())) for size, text in fragments if text.strip()]
    if not sized:
        return None
    largest = max(size for size, _ in sized)
    baseline = sorted(body_sizes or [size for size, _ in sized])
    if largest < 1.15 * baseline[len(baseline) // 2]:
        return None
    run: list[str] = []
    for size, text in sized:
        if size >= 0.95 * largest:
            if text.lower() not in (t.lower() for t in run):
                run.append(text)
        elif run and text:
            break
    title = re.sub(r"\s+", " ", " ".join(run)).strip()
    if sum(ch.isalpha() for ch in title) < 4:
        return None
    return title[:250]


def printed_year(first_page: str, title: str | None = None) -> int | None:
    """The year a cover prints plainly: the one year named on the page's short lines, outside the
    title ("Work Programme for the year 2017" was published in 2016)."""
    lines = [line for line in first_page.splitlines() if len(line) <= 100]
    if title:
        lines = [line for line in lines if " ".join(line.split()).lower() not in title.lower()]
    years = {int(y) for line in lines for y in _YEAR.findall(line)}
    return years.pop() if len(years) == 1 else None
