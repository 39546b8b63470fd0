"""Which language a text is in, among those the corpus is expected to hold."""

from __future__ import annotations

import re
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


# Marks only one of the three languages writes, and function words questions are made of that tell
# the three apart (the stop-word lists of `text_analysis` share "de", "que", "a" across them).
_SPANISH_MARKS = re.compile(r"[¿¡ñÑ]")
_PORTUGUESE_MARKS = re.compile(r"[ãõçÃÕÇ]|\b(?:não|são|você|também)\b", re.IGNORECASE)
_FUNCTION_WORDS_TEXT = {
    "en": "the which what who whom whose how where when why is are was were of and with for to in on",
    "es": "el los las del qué cuál cuáles quién quiénes cuánto cuántos cuántas dónde cómo cuándo y con "
    "por es son fue la una",
    "pt": "o os as do da dos das qual quais quem quanto quantos quantas onde quando e com pelo pela é "
    "foi em na um uma",
}
_FUNCTION_WORDS = {lang: frozenset(listed.split()) for lang, listed in _FUNCTION_WORDS_TEXT.items()}
_SHORT = 40  # letters: below this, langid's guess on a question is unreliable


def question_language(text: str, default: str = "en") -> str:
    """The language of a question, which is often a few words or quotes a name in another language
    ("What does the Agência Brasileira de Cooperação fund?"), both of which mislead the statistical
    identifier. A short question is judged first by marks only one language writes ("¿", "ñ"; "ã",
    "ç"); then any question by its function words when they clearly point one way; else by the
    identifier."""
    if sum(c.isalpha() for c in text) < _SHORT:
        spanish, portuguese = bool(_SPANISH_MARKS.search(text)), bool(_PORTUGUESE_MARKS.search(text))
        if spanish != portuguese:
            return "es" if spanish else "pt"
    words = re.findall(r"[^\W\d_]+", text.lower())
    votes = sorted(
        ((sum(w in listed for w in words), lang) for lang, listed in _FUNCTION_WORDS.items()),
        reverse=True,
    )
    (most, best), (runner_up, _) = votes[0], votes[1]
    if most >= 1 and most >= 2 * runner_up + 1:
        return best
    return detect_language(text, default)
