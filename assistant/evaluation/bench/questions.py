"""The bench's question files: read them, and check each question against its documents.

A question is sound when its evidence is found in its source's text (whitespace, hyphenation and
letter case aside), its must_contain strings are in its reference answer, and its fields agree
(an unanswerable question has no evidence, no sources, no document language)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

TYPES = ("factoid", "list", "table", "definition", "reasoning", "cross_doc", "numeric", "unanswerable")
LANGUAGES = ("en", "es", "pt")


def comparable(text: str) -> str:
    """Text as the check compares it: NFKC, soft hyphens and line-end hyphenation gone, one space."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"(\w)-\s+(\w)", r"\1\2", text)  # "coop-\neration", "fun- damental"
    return re.sub(r"\s+", " ", text).strip().lower()


def source_texts(corpus: Path, bench: Path) -> dict[str, str]:
    """Every name a question may give as its source, with that document's text."""
    catalogue = yaml.safe_load((corpus / "catalogue.yaml").read_text(encoding="utf-8"))["documents"]
    texts = {
        entry["original_file"]: (corpus / name).read_text(encoding="utf-8")
        for name, entry in catalogue.items()
    }
    for path in sorted((bench / "web").glob("*.txt")):
        texts[path.name] = path.read_text(encoding="utf-8")
    return texts


@dataclass(frozen=True)
class Problem:
    file: str
    id: str
    what: str


def check(paths: list[Path], texts: dict[str, str]) -> tuple[list[Problem], list[dict]]:
    """Every problem found, and the questions read."""
    problems: list[Problem] = []
    items: list[dict] = []
    seen: set[str] = set()
    flat = {name: comparable(text) for name, text in texts.items()}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(Problem(path.name, f"line {number}", f"not JSON: {exc}"))
                continue
            items.append(item)
            problems.extend(
                Problem(path.name, str(item.get("id")), what) for what in _faults(item, flat, seen)
            )
    return problems, items


def _faults(item: dict, texts: dict[str, str], seen: set[str]) -> list[str]:
    faults = []
    qid = str(item.get("id", ""))
    if not qid or qid in seen:
        faults.append("missing or repeated id")
    seen.add(qid)
    if item.get("type") not in TYPES:
        faults.append(f"type {item.get('type')!r} is not one of {TYPES}")
    if item.get("lang") not in LANGUAGES:
        faults.append(f"lang {item.get('lang')!r}")
    sources = item.get("sources") or ([item["source"]] if item.get("source") else [])
    if item.get("type") == "unanswerable":
        if item.get("evidence") or item.get("must_contain") or sources:
            faults.append("an unanswerable question has evidence, must_contain or sources")
        return faults
    if item.get("doc_lang") not in LANGUAGES:
        faults.append(f"doc_lang {item.get('doc_lang')!r}")
    if item.get("cross_lingual") != (item.get("lang") != item.get("doc_lang")):
        faults.append("cross_lingual disagrees with lang and doc_lang")
    if not item.get("evidence") or not item.get("must_contain"):
        faults.append("an answerable question needs evidence and must_contain")
    unknown = [s for s in sources if s not in texts]
    if unknown or not sources:
        faults.append(f"unknown sources {unknown or sources}")
        return faults
    for evidence in item.get("evidence", []):
        if not any(comparable(evidence) in texts[s] for s in sources):
            faults.append(f"evidence not in its sources: {evidence[:60]!r}")
    answer = str(item.get("answer", "")).lower()
    faults.extend(
        f"must_contain {m!r} is not in the answer" for m in item["must_contain"] if m.lower() not in answer
    )
    return faults


def counts(items: list[dict]) -> dict[str, Counter[str]]:
    return {
        "type": Counter(str(i.get("type")) for i in items),
        "lang": Counter(str(i.get("lang")) for i in items),
        "cross_lingual": Counter(str(bool(i.get("cross_lingual"))).lower() for i in items),
        "lang → doc_lang": Counter(f"{i.get('lang')}→{i.get('doc_lang') or '-'}" for i in items),
    }
