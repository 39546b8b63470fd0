"""The default second stage: re-score candidates without another model.

No cross-encoder ships offline here, so candidates are re-ranked on the embedding similarity of
the whole query plus, when the passage is in the query's language, its BM25 score and the share of
the query's content words it contains. Across languages word overlap is noise, so only the
embedding counts there."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.text_analysis import LANGUAGES, stems


@dataclass(frozen=True)
class QueryTerms:
    """Query words as stems of every supported language (the passage's language picks which)."""

    stems_by_language: dict[str, frozenset[str]]

    @classmethod
    def of(cls, query: str) -> QueryTerms:
        return cls({language: frozenset(stems(query, language)) for language in LANGUAGES})


def coverage(terms: QueryTerms, passage_stems: set[str], language: str) -> float:
    """Share of the query's stems (in the passage's language) that the passage holds, 0..1."""
    wanted = terms.stems_by_language.get(language) or terms.stems_by_language["en"]
    if not wanted:
        return 0.0
    return len(wanted & passage_stems) / len(wanted)
