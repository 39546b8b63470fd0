"""Which language a text is in, among those the corpus is expected to hold."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

SUPPORTED = ("en", "es", "pt", "fr")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED))
    return identifier


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code; short or empty text gets `default` (the document's language)."""
    sample = text[:20000]
    if sum(c.isalpha() for c in sample) < 12:
        return default
    language, _ = _identifier().classify(sample)
    return str(language)
