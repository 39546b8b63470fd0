"""Folds split by document, so that whatever is tuned is chosen on some documents and reported on
others. Documents are dealt round-robin into five folds, in name order within each group (the
sample documents; the web documents of each language), so every fold holds some of each. Folds 1
and 4 are held out: they hold about two fifths of the questions, and were fixed from the question
counts before any figure was measured. Nothing may be tuned on a held-out question."""

from __future__ import annotations

from assistant.evaluation.qa import QAItem

FOLDS = 5
HELD_OUT = (1, 4)


def document_folds(groups: list[list[str]]) -> dict[str, int]:
    folds: dict[str, int] = {}
    for names in groups:
        for position, name in enumerate(sorted(names)):
            folds[name] = position % FOLDS
    return folds


def item_folds(items: list[QAItem], folds: dict[str, int]) -> dict[str, int]:
    """A question's fold is its first source's. Questions with no source (unanswerable) are dealt
    round-robin in id order, so each fold gets its share of them too."""
    placed = {i.id: folds[i.sources[0]] for i in items if i.sources and i.sources[0] in folds}
    sourceless = sorted(i.id for i in items if i.id not in placed)
    placed.update({qid: position % FOLDS for position, qid in enumerate(sourceless)})
    return placed


def split_of(fold: int) -> str:
    return "held-out" if fold in HELD_OUT else "train"
