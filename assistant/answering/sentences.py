"""Cut passages into the units an answer can quote: sentences of prose, rows of tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text_analysis import fold

_REFERENCE = re.compile(r"^(?:\d{1,3}\s+[\"“]|ibid\b|op\. cit)|copyright|©|\bisbn\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“(¿¡A-ZÀ-Ý0-9])")
# Openings that point back ("Moreover…", "It implies…", "This network…", "Además…", "Isso…"): such a
# sentence finishes the thought of the one before it, and reads wrongly without it.
_LEANS_BACK = re.compile(
    r"^(?:moreover|furthermore|in addition|additionally|also|however|likewise|similarly|besides|"
    r"nevertheless|nonetheless|thus|therefore|hence|accordingly|consequently|"
    r"it|its|this|these|that|those|they|their|such|"
    r"ademas|asimismo|tambien|sin embargo|no obstante|igualmente|por ello|por lo tanto|dicho|dicha|"
    r"dichos|dichas|este|esta|estos|estas|esto|ello|"
    r"alem disso|contudo|entretanto|no entanto|portanto|assim|isso|isto|esse|essa|esses|essas|"
    r"estes|tal|tais)\b",
)


# Footnote calls, superscripts written out at ingest ("…DAC countries.^1^1^2"): the quote keeps
# them, the answer text drops them.
_FOOTNOTE_CALL = re.compile(r"(?<=[\w.,;:)\]”\"'])(?:\^\d)+")
_MARKUP = re.compile(r"</?(?:table|tr|td|th|div|span|p|br)\b", re.IGNORECASE)
_TERM = re.compile(r"^[A-Z][A-Za-z0-9&/.-]*[A-Z0-9]$")


@dataclass(frozen=True)
class Unit:
    """A quotable span: `quote` is verbatim stored text; `text` is how an answer shows it."""

    quote: str
    text: str


def units(passage_text: str, kind: str) -> list[Unit]:
    if kind == "table":
        return _table_units(passage_text)
    found: dict[str, Unit] = {}
    lines = [line.strip() for line in passage_text.splitlines()]
    for index, line in enumerate(lines):
        sentences = [s.strip() for s in _SENTENCE_END.split(line)]
        for sentence in sentences:
            # A heading inside a passage ("AF7: Agriculture") says where, not what: not an answer.
            heading_like = (
                not sentence.endswith((".", "!", "?", ";", ":", ")")) and len(sentence.split()) < 12
            )
            if len(sentence) < 20 or "\t" in sentence or heading_like or _reference(sentence):
                continue
            if _MARKUP.search(sentence):
                continue  # HTML a converter left in the text: not a sentence anyone wrote
            if sentence.endswith(":"):
                # A lead-in says nothing by itself: it answers together with the items it introduces.
                if sentence is not sentences[-1] or not (listed := _items_after(lines, index)):
                    continue
                block = [line[line.index(sentence) :], *listed]
                found.setdefault("\n".join(block), Unit("\n".join(block), shown(" ".join(block))))
                continue
            found.setdefault(sentence, Unit(sentence, shown(sentence)))
    return list(found.values())


def shown(text: str) -> str:
    """How a quoted span reads in an answer: without the footnote calls."""
    return _FOOTNOTE_CALL.sub("", text)


def leans_back(sentence: str) -> bool:
    return bool(_LEANS_BACK.match(fold(sentence.lstrip('"“(¿¡- '))))


def _reference(sentence: str) -> bool:
    """A footnote, bibliography or copyright line ('115 "SEGIB – Programa…" http://…', 'Ibid.',
    'Copyright © SELA') cites or owns a source; it does not answer anything."""
    return bool(
        _REFERENCE.search(sentence) or "http://" in sentence or "https://" in sentence or "www." in sentence
    )


def _items_after(lines: list[str], index: int, limit: int = 700) -> list[str]:
    """The lines a lead-in introduces, up to the next lead-in or about `limit` characters."""
    items: list[str] = []
    for line in lines[index + 1 :]:
        if not line or line.endswith(":") or sum(map(len, items)) + len(line) > limit:
            break
        items.append(line)
    return items


def _table_units(passage_text: str) -> list[Unit]:
    """Each data row, shown with its header cells ("Country: Bolivia; Agreements reached: 0")."""
    lines = [line for line in passage_text.splitlines() if line.strip()]
    header_index = next((i for i, line in enumerate(lines) if "\t" in line), None)
    if header_index is None:
        return []
    header = lines[header_index].split("\t")
    body = [line.split("\t") for line in lines[header_index + 1 :]]
    if _glossary(header, body):
        # "AAA  Accra Agenda for Action": each row, the first one too, is a term and its meaning.
        return [
            Unit(line, f"{cells[0].strip()}: {cells[1].strip()}")
            for line, cells in zip(lines[header_index:], [header, *body], strict=True)
            if len(cells) == 2 and cells[0].strip() and cells[1].strip()
        ]
    found = []
    for row, cells in zip(lines[header_index + 1 :], body, strict=True):
        pairs = [
            f"{name.strip()}: {value.strip()}" if name.strip() else value.strip()
            for name, value in zip(header, cells, strict=False)
            if value.strip()
        ]
        if len(pairs) >= 2:
            found.append(Unit(row, "; ".join(pairs)))
    return found


def _glossary(header: list[str], body: list[list[str]]) -> bool:
    """A two-column list of abbreviations: its first row is a term like the rows below it, not a
    header ("AAA | Accra Agenda for Action" above "AECID | Agencia Española…")."""
    if len(header) != 2 or not body:
        return False
    terms = [cells[0].strip() for cells in body if len(cells) == 2]
    return bool(_TERM.match(header[0].strip())) and sum(map(bool, map(_TERM.match, terms))) >= 0.8 * len(body)
