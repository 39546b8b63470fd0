"""The entity type a list question asks for, so search can favour passages that list such entities."""

from __future__ import annotations

import re

from ingest.text_analysis import fold

# "Which funds…", "¿qué agencias…?", "quais acordos…": the type a list question asks for.
_NOUNS = (
    r"funds?|fondos?|fundos?|agenc(?:y|ies)|agencias?|bodies|organismos|institutions|instituciones|"
    r"instituicoes|agreements?|acuerdos?|acordos?|declarations|declaraciones|declaracoes|"
    r"programmes?|programs?|programas?|initiatives|iniciativas|countries|country|paises|pais"
)
_ASKED = re.compile(rf"\b(?:which|what|que|cuales|quais|quales)\s+(?:\S+\s+){{0,2}}?(?P<noun>{_NOUNS})\b")
_NOUN = re.compile(rf"(?:{_NOUNS})\W*")
_TYPE_OF_NOUN = {
    "fund": "fund", "fond": "fund", "agenc": "agency", "bodi": "agency", "organ": "agency",
    "insti": "agency", "agree": "agreement", "acuer": "agreement", "acord": "agreement",
    "decla": "agreement", "progr": "programme", "initi": "programme", "inici": "programme",
    "count": "country", "paise": "country", "pais": "country",
}  # fmt: skip


def asked_type(question: str) -> str | None:
    """The entity type a list question asks for, if any."""
    match = _ASKED.search(fold(question))
    if not match:
        return None
    noun = match.group("noun")
    return next((kind for prefix, kind in _TYPE_OF_NOUN.items() if noun.startswith(prefix)), None)


def is_type_noun(word: str) -> bool:
    """'funds', 'agencias', 'countries'…: the word that names the type, not what is asked about it."""
    return bool(_NOUN.fullmatch(fold(word)))
