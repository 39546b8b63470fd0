"""Cut passages into the units an answer can quote: sentences of prose, rows of tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“(¿¡A-ZÀ-Ý0-9])")


@dataclass(frozen=True)
class Unit:
    """A quotable span: `quote` is verbatim stored text; `text` is how an answer shows it."""

    quote: str
    text: str


def units(passage_text: str, kind: str) -> list[Unit]:
    if kind == "table":
        return _table_units(passage_text)
    found: dict[str, Unit] = {}
    for line in passage_text.splitlines():
        for sentence in _SENTENCE_END.split(line.strip()):
            sentence = sentence.strip()
            # A heading inside a passage ("AF7: Agriculture") says where, not what: not an answer.
            heading_like = (
                not sentence.endswith((".", "!", "?", ";", ":", ")")) and len(sentence.split()) < 12
            )
            if len(sentence) >= 20 and "\t" not in sentence and not heading_like:
                found.setdefault(sentence, Unit(sentence, sentence))
    return list(found.values())


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
