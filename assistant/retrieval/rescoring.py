"""The default second stage: re-score candidates without another model.

No cross-encoder ships offline here, so candidates are re-ranked on the embedding similarity of
the whole query plus how many of the query's content words they contain, with names, acronyms and
numbers (the words officials search by) counting more."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text_analysis import LANGUAGES, fold, stems

_KEY_TOKEN = re.compile(r"\b(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*|\d[\d.,/%-]*|[A-ZÁÉÍÓÚ][a-záéíóúãõç]{2,})\b")


@dataclass(frozen=True)
class QueryTerms:
    """Query words in every supported language's stems; key words (names, acronyms, numbers) apart."""

    stems_by_language: dict[str, frozenset[str]]
    key_words: frozenset[str]

    @classmethod
    def of(cls, query: str) -> QueryTerms:
        by_language = {language: frozenset(stems(query, language)) for language in LANGUAGES}
        first = query.split()[0] if query.split() else ""
        keys = {fold(t) for t in _KEY_TOKEN.findall(query) if t != first or t.isupper() or t[0].isdigit()}
        return cls(by_language, frozenset(keys))


def coverage(terms: QueryTerms, text: str, language: str) -> float:
    """Share of the query's stems found in the passage (in the passage's language), 0..1."""
    wanted = terms.stems_by_language.get(language) or terms.stems_by_language["en"]
    if not wanted:
        return 0.0
    present = set(stems(text, language if language in terms.stems_by_language else "en"))
    return len(wanted & present) / len(wanted)


def key_matches(terms: QueryTerms, text: str) -> float:
    """Share of the query's names, acronyms and numbers that appear verbatim (accent-folded)."""
    if not terms.key_words:
        return 0.0
    folded = fold(text)
    hits = sum(1 for word in terms.key_words if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", folded))
    return hits / len(terms.key_words)
