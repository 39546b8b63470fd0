"""The offline default: answer with the source's own sentences and table rows.

Every word of the answer comes from a passage, so nothing can be made up; the skill is in picking
the two or three units that answer. Units are scored on the question's words they contain, each
weighted by how rare it is among the candidate units (names, acronyms and numbers are rare), plus
a prior for the passage's search rank."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from assistant.answering.models import DraftSentence
from assistant.answering.sentences import Unit, units
from assistant.retrieval.passages import Passage
from ingest.text_analysis import LANGUAGES, stems


@dataclass
class ExtractiveGenerator:
    name: str = "extractive"
    max_units: int = 5  # the same "at most five sentences" the LLM prompt asks for
    max_per_passage: int = 3
    rank_prior: float = 0.3

    def draft(self, question: str, passages: list[Passage]) -> list[DraftSentence]:
        return self.draft_with_overlap(question, passages)[0]

    def draft_with_overlap(self, question: str, passages: list[Passage]) -> tuple[list[DraftSentence], float]:
        """The draft, and how much of the question (0..1, rarity-weighted) its best unit holds."""
        wanted = {s for language in LANGUAGES for s in stems(question, language)}
        candidates: list[tuple[int, int, Unit, set[str]]] = []
        for number, passage in enumerate(passages, start=1):
            for position, unit in enumerate(units(passage.text, passage.chunk.kind)):
                candidates.append((number, position, unit, set(stems(unit.text, passage.chunk.language))))
        if not candidates:
            return [], 0.0
        frequency = Counter(t for *_, terms in candidates for t in terms & wanted)
        weight = {t: math.log(1 + len(candidates) / frequency[t]) for t in frequency}
        total = sum(weight.values()) or 1.0
        scored = []
        for number, position, unit, terms in candidates:
            overlap = sum(weight.get(t, 0.0) for t in terms & wanted) / total
            scored.append((overlap + self.rank_prior / number, overlap, number, position, unit))
        scored.sort(key=lambda row: -row[0])
        best_overlap = max(row[1] for row in scored)
        chosen: list[tuple[int, int, Unit]] = []
        per_passage: Counter[int] = Counter()
        for _, overlap, number, position, unit in scored:
            if best_overlap > 0 and overlap < 0.5 * best_overlap:
                continue  # too little of the question in it
            if per_passage[number] >= self.max_per_passage:
                continue
            chosen.append((number, position, unit))
            per_passage[number] += 1
            if len(chosen) == self.max_units:
                break
        chosen.sort(key=lambda row: (row[0], row[1]))
        return [DraftSentence(unit.text, (number,), unit.quote) for number, _, unit in chosen], best_overlap
