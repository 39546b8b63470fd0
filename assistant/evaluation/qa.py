"""The QA file format (`eval/README.md` of the shared dev set) and the evidence rule."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answering.grounding import strip_markers
from assistant.errors import InvalidRequest
from ingest.text_analysis import content_words

EVIDENCE_SHARE = 0.8


@dataclass(frozen=True)
class QAItem:
    id: str
    question: str
    type: str
    evidence: list[str] = field(default_factory=list)
    must_contain: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # The bench's fields: the question's language, its documents' language, and whether they differ.
    lang: str | None = None
    doc_lang: str | None = None
    cross_lingual: bool = False


def read_qa(path: Path) -> list[QAItem]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            sources = raw.get("sources") or ([raw["source"]] if raw.get("source") else [])
            items.append(
                QAItem(
                    id=str(raw["id"]),
                    question=str(raw["question"]),
                    type=str(raw.get("type", "unknown")),
                    evidence=list(raw.get("evidence") or []),
                    must_contain=list(raw.get("must_contain") or []),
                    sources=list(sources),
                    lang=raw.get("lang"),
                    doc_lang=raw.get("doc_lang"),
                    cross_lingual=bool(raw.get("cross_lingual", False)),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InvalidRequest(f"{path}:{number}: not a QA item ({exc})") from exc
    return items


def says_all(answer_text: str, wanted: list[str]) -> bool:
    """Whether the answer holds every wanted string, case aside; its [n] markers are taken out
    first, so that a marker "[4]" never passes for the number 4."""
    text = strip_markers(answer_text).lower()
    return all(w.lower() in text for w in wanted)


def holds(passage_words: set[str], evidence: str) -> bool:
    """A passage holds evidence when it has at least 80% of the evidence's content words."""
    wanted = set(content_words(evidence))
    if not wanted:
        return False
    return len(wanted & passage_words) / len(wanted) >= EVIDENCE_SHARE


def score_ranking(item: QAItem, passages: list[str], ks: tuple[int, ...] = (1, 3, 5, 10)) -> dict[str, float]:
    """Recall@k = share of the item's evidence passages held by the top k; MRR@10 on the first hit."""
    words = [set(content_words(p)) for p in passages]
    first_holder: list[int | None] = []
    for evidence in item.evidence:
        rank = next((r for r, w in enumerate(words) if holds(w, evidence)), None)
        first_holder.append(rank)
    figures = {
        f"R@{k}": sum(1 for r in first_holder if r is not None and r < k) / len(item.evidence) for k in ks
    }
    hits = [r for r in first_holder if r is not None and r < 10]
    figures["MRR@10"] = 1.0 / (min(hits) + 1) if hits else 0.0
    return figures
