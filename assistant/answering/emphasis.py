"""The asked value in bold: "A total of **82** agreements were reached" for "how many agreements…".

The answer text carries it as Markdown (`**82**`), which chat clients render and the widget and
Slack translate; the quote in the citation stays verbatim. A value is marked only when it is clearly
the one asked for, since a wrong number in bold misleads more than no bold at all."""

from __future__ import annotations

import re

from assistant.answering.answer_checks import counted_word
from ingest.text_analysis import query_terms

_COUNT = re.compile(r"(?<![\w.,/])\d[\d.,]*(?![\w/])")
_AMOUNT = re.compile(
    r"(?:US\s?\$|\$|€|£|USD|EUR)\s?\d[\d.,]*(?:\s(?:million|billion|millones|millón|milhões|milhão|mil))?"
    r"|\d[\d.,]*\s(?:million|billion|millones|millón|milhões|milhão)(?:\s(?:USD|dollars|dólares|reais|euros))?",
    re.IGNORECASE,
)
# "Twenty-two of the 25 members took part": the count asked for is the part, not the whole.
_PART_OF = re.compile(
    r"(?i)\b(\d[\d.,]*|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|veinte|treinta|duas|quatro|sete|oito|"
    r"nove|dez|vinte|trinta)(?:[- ]\w+)?)\s+(?:of the|of|de los|de las|de|dos|das)\s+$"
)
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")
_NEXT_WORDS = (
    3  # the counted noun stands right after the number: "82 agreements", "82 collaboration agreements"
)


def emphasise(text: str, kind: str | None, question: str) -> str:
    """`text` with the value a count, amount or date question asks for in bold, if one is clear."""
    span = _asked_value(text, kind, question)
    if span is None:
        return text
    start, end = span
    return f"{text[:start]}**{text[start:end]}**{text[end:]}"


def _asked_value(text: str, kind: str | None, question: str) -> tuple[int, int] | None:
    if kind == "count":
        numbers = list(_COUNT.finditer(text))
        word = counted_word(question)
        noun = set(query_terms(word)) if word else set()
        near = [m for m in numbers if noun and noun & set(query_terms(_counted_words(text, m)))]
        chosen = near[0] if near else None
        if chosen and (part := _PART_OF.search(text[: chosen.start()])):
            return part.span(1)
    elif kind == "amount":
        amounts = list(_AMOUNT.finditer(text))
        chosen = amounts[0] if len(amounts) == 1 else None
    elif kind == "date":
        years = list(_YEAR.finditer(text))
        chosen = years[0] if len({m.group() for m in years}) == 1 else None
    else:
        chosen = None
    return chosen.span() if chosen else None


def _counted_words(text: str, number: re.Match[str]) -> str:
    """The words that say what a number counts: the few after it in its clause ("82 agreements"),
    or, in a table row, its column's header ("Agreements reached: 0")."""
    after = re.split(r"[;:]", text[number.end() :], maxsplit=1)[0]
    before = re.split(r";", text[: number.start()])[-1]
    header = before.rsplit(":", 1)[0] if before.rstrip().endswith(":") else ""
    return " ".join([*after.split()[:_NEXT_WORDS], header])


def plain(text: str) -> str:
    """The text as a reader sees it once the bold is rendered: for checks on the words."""
    return text.replace("**", "")
