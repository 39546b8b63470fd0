"""Word-level evidence for the default second stage (no cross-encoder ships offline here): the
share of the query's content words a passage holds, stemmed in the passage's language. Names,
acronyms and numbers match across languages; other words mostly match within one, which is why
the fusion weighs this evidence lightly and BM25 is normalised per language (`hybrid`)."""

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
