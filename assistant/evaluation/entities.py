"""Precision and recall of the entity catalogue against a hand-written gold list.

A gold entity is found when a catalogue entry mentioned in that document has its type and one of
its names (the name, an alias the gold lists, or the acronym; accents and case aside). Precision
is the share of entries paired one-to-one with a gold entity of that document, so two entries the
resolution failed to merge do not both count as right. Countries are left out: the gazetteer
covers them."""

from __future__ import annotations

from pathlib import Path

import yaml

from ingest.entities.models import Entity
from ingest.text_analysis import fold

TYPES = ("agency", "fund", "agreement", "programme")


def score_entities(catalogue: list[Entity], gold_path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """{document: {type or "all": {"precision", "recall", "gold", "found"}}}."""
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))["documents"]
    results: dict[str, dict[str, dict[str, float]]] = {}
    for document_id, items in gold.items():
        entries = [
            e for e in catalogue if e.type in TYPES and any(m.document_id == document_id for m in e.mentions)
        ]
        per_type: dict[str, dict[str, float]] = {}
        for kind in (*TYPES, "all"):
            wanted = [g for g in items if kind in ("all", g["type"])]
            have = [e for e in entries if kind in ("all", e.type)]
            found = sum(any(_same(g, e) for e in entries) for g in wanted)
            right = _matched(have, items)
            per_type[kind] = {
                "gold": len(wanted),
                "catalogue": len(have),
                "recall": found / len(wanted) if wanted else float("nan"),
                "precision": right / len(have) if have else float("nan"),
            }
        results[document_id] = per_type
    return results


def _matched(entries: list[Entity], gold: list[dict]) -> int:
    """Entries paired one-to-one with gold entities (greedy, the least ambiguous entry first):
    two entries the resolution failed to merge cannot both be right."""
    candidates = [[i for i, g in enumerate(gold) if _same(g, e)] for e in entries]
    used: set[int] = set()
    for options in sorted(candidates, key=len):
        if free := [i for i in options if i not in used]:
            used.add(free[0])
    return len(used)


def _same(gold: dict, entry: Entity) -> bool:
    if gold["type"] != entry.type:
        return False
    names = {fold(n) for n in (entry.name, *entry.aliases)}
    wanted = {fold(n) for n in (gold["name"], *gold.get("aliases", []), gold.get("acronym")) if n}
    return bool(names & wanted)
