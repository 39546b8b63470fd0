"""Words for lexical matching: accent-folded, stop words removed, stemmed in EN/ES/PT."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from stop_words import get_stop_words

LANGUAGES = ("en", "es", "pt")
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_STEMMER_NAMES = {"en": "english", "es": "spanish", "pt": "portuguese"}


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Cooperación' and 'cooperacion' match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text))]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The union of EN/ES/PT stop words: queries and documents mix languages."""
    out: set[str] = set()
    for language in LANGUAGES:
        out.update(fold(w) for w in get_stop_words(language))
    return frozenset(out)


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(_STEMMER_NAMES.get(language, "english"))


def content_words(text: str) -> list[str]:
    """Folded words minus stop words; numbers are kept (they carry answers)."""
    stops = stop_words()
    return [w for w in words(text) if w not in stops and (len(w) > 1 or w.isdigit())]


def stems(text: str, language: str) -> list[str]:
    stemmer = _stemmer(language if language in _STEMMER_NAMES else "en")
    return [w if w.isdigit() else stemmer.stemWord(w) for w in content_words(text)]


def index_terms(text: str, language: str) -> str:
    """What the lexical index stores for a passage: its stems in its own language."""
    return " ".join(stems(text, language))


def query_terms(text: str) -> list[str]:
    """A query's stems in every supported language, since the query may not share the passage's."""
    seen: dict[str, None] = {}
    for language in LANGUAGES:
        for stem in stems(text, language):
            seen.setdefault(stem, None)
    return list(seen)
