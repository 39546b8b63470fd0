"""One normalised text for everything downstream of the loaders: stored pages, chunks, quotes, the
lexical index, entities and the source viewer all see the same characters.

NFKC turns what PDFs and web pages carry as compatibility characters (ligatures such as ﬁ and ﬀ,
full-width letters, no-break spaces) into the letters a user types; soft hyphens are invisible
break hints, so they go too. Quotes are taken from this text, so they stay verbatim against it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ingest.models import LoadedDocument

_SOFT_HYPHEN = "\u00ad"
_COMPOUND = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")


# NFKC would fuse a superscript or subscript digit with the number before it ("10⁶" -> "106",
# "2015²" -> "20152"): they are written out first as "^6" and "_2".
_RAISED = str.maketrans(
    {
        **{ch: f"^{d}" for d, ch in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")},
        **{ch: f"_{d}" for d, ch in enumerate("₀₁₂₃₄₅₆₇₈₉")},
    }
)


def normalise_text(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(_RAISED)).replace(_SOFT_HYPHEN, "")


def normalise_document(document: LoadedDocument) -> LoadedDocument:
    pages = [replace(page, text=normalise_text(page.text)) for page in document.pages]
    title = normalise_text(document.title) if document.title else document.title
    return replace(document, pages=[p for p in pages if p.text.strip()] or pages, title=title)


def hyphenated_compounds(lines: list[str]) -> set[str]:
    """Words a document writes with a hyphen inside a line ("South-South", "well-known"): a word
    broken at a line end is joined with its hyphen when the document knows it so, else without."""
    found: set[str] = set()
    for line in lines:
        body = line.rstrip()
        if body.endswith("-"):
            body = body[:-1]
        found.update(f"{a}-{b}".lower() for a, b in _COMPOUND.findall(body))
    return found


def join_broken_word(paragraph: str, line: str, compounds: set[str]) -> str | None:
    """`paragraph` + `line` when the paragraph ends in a word broken at the line end, else None."""
    if paragraph.endswith(_SOFT_HYPHEN):
        return paragraph[:-1] + line
    if not paragraph.endswith("-") or len(paragraph) < 2 or not paragraph[-2].isalpha() or not line:
        return None
    if not line[0].isalpha():
        return paragraph + line  # "COVID-" + "19"
    head = re.findall(r"[^\W\d_]+$", paragraph[:-1])
    tail = re.findall(r"^[^\W\d_]+", line)
    if line[0].isupper() or (head and tail and f"{head[0]}-{tail[0]}".lower() in compounds):
        return paragraph + line  # "South-" + "South", "Sur-" + "Sur": a real hyphen
    return paragraph[:-1] + line  # "inter-" + "national"
