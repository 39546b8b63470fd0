"""Cheap checks of whether a text can answer a question at all, in EN/ES/PT.

Unanswerable questions over this kind of corpus are topical: "how much did CAF put into Phase III"
finds passages about Phase III and CAF, so word overlap cannot tell them apart. Two checks can: a
question asking for an amount or a date needs one in the answer, and a question naming an
organisation the passages never mention is not about them."""

from __future__ import annotations

import re

from ingest.entities.gazetteer import countries_in
from ingest.text_analysis import fold

_AMOUNT_QUESTION = re.compile(
    r"\b(how much|what amount|which amount|amount|budget|cost|spend|spent|funding of|"
    r"cuanto|cuanta|monto|presupuesto|costo|invierte|quanto|quanta|orcamento|custo|valor)\b"
)
_COUNT_QUESTION = re.compile(r"\b(how many|cuantos|cuantas|quantos|quantas)\b")
_COUNTED = re.compile(_COUNT_QUESTION.pattern + r"\s+(\w+)")  # "how many agreements"
_DATE_QUESTION = re.compile(
    r"\b(when|what year|which year|what period|which period|cuando|quando|que ano|que periodo)\b"
)
# "Who…", "which African countries…", "qué organismos…": the answer is a list of names.
_NAME_QUESTION = re.compile(
    r"\b(who|whom|whose|quien|quienes|quem|"
    r"(which|what|que|cuales|quais)\s+(\S+\s+){0,2}?(countries|country|agencies|agency|bodies|"
    r"institutions|organi[sz]ations|funds|networks|programmes|programs|schemes|partners|donors|"
    r"entities|ministries|banks|members|paises|pais|agencias|organismos|instituciones|instituicoes|"
    r"organizaciones|organizacoes|fondos|fundos|redes|programas|socios|parceiros|donantes|"
    r"doadores|entidades|ministerios|bancos|miembros|membros))\b"
)
_PLACE_QUESTION = re.compile(
    r"\b(where|in which (city|country)|donde|en que (ciudad|pais)|onde|em que (cidade|pais))\b"
)
_YES_NO_QUESTION = re.compile(
    r"^\W*(is|are|was|were|does|do|did|has|have|can|will|should|es|son|fue|hay|tiene|e|sao|foi|ha|tem)\b"
)
_DEFINITION_QUESTION = re.compile(
    r"\b(what is meant by|what does \S+ mean|define|definition|que (es|son|significa|se entiende)|"
    r"o que (e|sao|significa))\b"
)
_REASON_QUESTION = re.compile(r"\b(why|for what reason|por que|por qu|porque|para que)\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9/&-]*[A-Z0-9]\b")

_MONEY = re.compile(
    r"(us\s?\$|\$|€|£|\b(usd|eur|dollars?|dolares|euros?|reais|pesos|millions?|billions?|millones|"
    r"mil millones|milhoes|bilhoes|thousand|miles)\b)"
)
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|dozen|hundred|"
    r"uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|veinte|cien|"
    r"um|uma|duas|quatro|cinco|sete|oito|nove|dez|vinte|cem)\b"
)
_DATE = re.compile(
    r"\b(1[89]\d\d|20\d\d)\b|\b(january|february|march|april|may|june|july|august|september|october|"
    r"november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
    r"noviembre|diciembre|janeiro|fevereiro|marco|maio|junho|julho|setembro|outubro|novembro|"
    r"dezembro|quarter|semester|trimestre|semestre)\b"
)
_REASON = re.compile(
    r"\b(because|due to|owing to|in order to|so that|since|as a result|aim|purpose|"
    r"porque|debido a|dado que|ya que|con el fin|a fin de|para|objetivo|proposito|"
    r"devido a|uma vez que|a fim de|com o objetivo)\b"
)
# Names: two or more capitalised words (joined by short connectors) or an acronym, inside a sentence.
_NAME = re.compile(
    r"(?<!^)(?<![.?!]\s)\b([A-ZÀ-Ý][\w'-]+(?:\s+(?:of|for|the|de|del|la|las|los|da|do|das|dos)?"
    r"\s*[A-ZÀ-Ý][\w'-]+)+)"
)


_OPENING_KINDS = {
    "who": "names", "whom": "names", "quien": "names", "quienes": "names", "quem": "names",
    "when": "date", "cuando": "date", "quando": "date",
    "where": "place", "donde": "place", "onde": "place",
    "how many": "count", "cuantos": "count", "cuantas": "count", "quantos": "count", "quantas": "count",
    "how much": "amount", "cuanto": "amount", "cuanta": "amount", "quanto": "amount", "quanta": "amount",
}  # fmt: skip
_OPENING = re.compile(r"^(" + "|".join(sorted(_OPENING_KINDS, key=len, reverse=True)) + r")\b")
_AND_ANOTHER = re.compile(r"\s*(?:and|y|e)\s+(?:" + "|".join(_OPENING_KINDS) + r")\b")
# Kinds a text can be checked for: a passage with no number cannot say "how many".
CHECKED_KINDS = ("count", "amount", "date")


def expected_kind(question: str) -> str | None:
    """The kind of answer the question wants, in EN/ES/PT: "count", "amount", "date", "place",
    "names", "definition", "reason" or "yes_no"; or None. The first that matches wins, so "How
    many countries…" is a count, not a list of names."""
    folded = fold(question).strip(" ¿¡\"'“”")
    # A question that opens with its question word says what it wants, whatever it mentions later:
    # "Who pays for the Task Team's budget?" asks for names, not an amount.
    # "Where and when…" asks two things: the keywords below then decide, as for any question.
    if (opening := _OPENING.match(folded)) and not _AND_ANOTHER.match(folded[opening.end() :]):
        return _OPENING_KINDS[opening.group(1)]
    for kind, pattern in (
        ("count", _COUNT_QUESTION),
        ("amount", _AMOUNT_QUESTION),
        ("date", _DATE_QUESTION),
        ("place", _PLACE_QUESTION),
        ("names", _NAME_QUESTION),
        ("definition", _DEFINITION_QUESTION),
        ("reason", _REASON_QUESTION),
        ("yes_no", _YES_NO_QUESTION),
    ):
        if pattern.search(folded):
            return kind
    return None


def counted_word(question: str) -> str | None:
    """The word a count question counts, folded: "agreements" in "How many agreements…"."""
    match = _COUNTED.search(fold(question))
    return match.group(2) if match else None


def holds_kind(text: str, kind: str | None) -> bool:
    folded = fold(text)
    match kind:
        case "amount":
            return bool(_MONEY.search(folded)) and bool(re.search(r"\d", folded))
        case "count":
            return bool(_NUMBER.search(folded))
        case "date":
            return bool(_DATE.search(folded))
        case "place":
            return any(countries_in(text)) or bool(_NAME.search(text))
        case "names":
            return any(countries_in(text)) or bool(_ACRONYM.search(text)) or bool(_NAME.search(text))
        case "reason":
            return bool(_REASON.search(folded))
    return True


def new_names(text: str, question: str) -> int:
    """How many countries and acronyms the text names that the question does not."""
    asked = re.sub(r"\s+", " ", fold(question))
    found = {fold(n) for n in [*countries_in(text), *_ACRONYM.findall(text)]}
    return sum(1 for name in found if name not in asked)


def names(question: str) -> list[str]:
    """Multi-word proper names in the question ("African Development Bank"), folded."""
    found = []
    for match in _NAME.findall(question):
        # "Chile's FOSIS" names two things; each part counts only if it is itself several words.
        parts = [part.strip("'’") for part in re.split(r"['’]s\b\s*", match)]
        found += [fold(part) for part in parts if len(part.split()) > 1]
    return found


def missing_names(question: str, texts: list[str]) -> list[str]:
    """The question's names that none of the texts mentions, spacing and case aside."""
    haystack = re.sub(r"\s+", " ", fold(" ".join(texts)))
    return [name for name in names(question) if re.sub(r"\s+", " ", name) not in haystack]
