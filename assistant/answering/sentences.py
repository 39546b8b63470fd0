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
            if sentence.endswith(":"):
                # A lead-in says nothing by itself: it answers together with the items it introduces.
                if sentence is not sentences[-1] or not (listed := _items_after(lines, index)):
                    continue
                block = [line[line.index(sentence) :], *listed]
                found.setdefault("\n".join(block), Unit("\n".join(block), " ".join(block)))
                continue
            found.setdefault(sentence, Unit(sentence, sentence))
    return list(found.values())


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
    found = []
    for row in lines[header_index + 1 :]:
        cells = row.split("\t")
        pairs = [
            f"{name.strip()}: {value.strip()}" if name.strip() else value.strip()
            for name, value in zip(header, cells, strict=False)
            if value.strip()
        ]
        if len(pairs) >= 2:
            found.append(Unit(row, "; ".join(pairs)))
    return found
