"""The gate's checks for a sentence a language model wrote from numbered evidence units.

A small model misreads numbers and negations, swaps names, and forgets or misplaces its [n]
markers. A written sentence is kept only with an evidence unit that backs it:
- every number it states is in the unit (or the question), by value: "300,000" is "300 mil", and a
  month is the same month in any of the three languages;
- it is not negated unless the unit is ("was not agreed" from "was agreed" is the misreading seen);
- every name it gives is in the unit or the question, matched across spellings and languages
  (Brasil/Brazil, Convention/Convenio; not Chile/China);
- it says something the question does not: a sentence made of the question's own words (and
  "the source says") answers nothing;
- in the unit's own language, most of its content words are in the unit.
Across languages words cannot match, so only numbers, negation, names and news are checked there.
The unit the model cited is tried first; a sentence without markers, or citing a unit that does
not back it, is attributed to the first unit that does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.answering.models import DraftSentence
from ingest.language import detect_language
from ingest.text_analysis import content_words, fold, stems

SAME_LANGUAGE_SHARE = 0.5  # of the sentence's content words found in the unit
NAME_LIKENESS = 0.8  # Brasil/Brazil, Paraguai/Paraguay; not Chile/China
NAME_STEM = 4  # or the same first letters, in words this long or longer: Cooperation/Cooperação

_NUMBER = re.compile(
    r"(?<![\w.,])\d+(?:[.,]\d+)*(?:\s+(thousand|millones|millón|million|milhões|milhão|billion|mil)\b)?"
)
_SCALE = {"thousand": 1e3, "mil": 1e3, "million": 1e6, "millones": 1e6, "millon": 1e6, "milhoes": 1e6}
_SCALE |= {"milhao": 1e6, "billion": 1e9}  # keys accent-folded, as they are looked up
_MONTHS = [
    ("january", "enero", "janeiro"), ("february", "febrero", "fevereiro"), ("march", "marzo", "marco"),
    ("april", "abril", "abril"), ("may", "mayo", "maio"), ("june", "junio", "junho"),
    ("july", "julio", "julho"), ("august", "agosto", "agosto"),
    ("september", "septiembre", "setembro"), ("october", "octubre", "outubro"),
    ("november", "noviembre", "novembro"), ("december", "diciembre", "dezembro"),
]  # fmt: skip
_MONTH = {name: f"month:{n}" for n, names in enumerate(_MONTHS, start=1) for name in names}
# Numbers in words, two to twenty and the tens ("one" and "uno" are pronouns as often as numbers;
# Spanish "dos" is Portuguese "of the", Spanish "once" an English word).
_UNITS = [
    ("two", "", "dois duas"), ("three", "tres", "tres"), ("four", "cuatro", "quatro"),
    ("five", "cinco", "cinco"), ("six", "seis", "seis"), ("seven", "siete", "sete"),
    ("eight", "ocho", "oito"), ("nine", "nueve", "nove"), ("ten", "diez", "dez"),
    ("eleven", "", "onze"), ("twelve", "doce", "doze"), ("thirteen", "trece", "treze"),
    ("fourteen", "catorce", "catorze quatorze"), ("fifteen", "quince", "quinze"),
    ("sixteen", "dieciseis", "dezesseis"), ("seventeen", "diecisiete", "dezessete"),
    ("eighteen", "dieciocho", "dezoito"), ("nineteen", "diecinueve", "dezenove"),
    ("twenty", "veinte", "vinte"),
]  # fmt: skip
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_NUMBERS = {w: n for n, names in enumerate(_UNITS, start=2) for w in " ".join(names).split()}
_WORD_NUMBERS |= _TENS | {"treinta": 30, "trinta": 30, "cuarenta": 40, "quarenta": 40}
_WORD_NUMBERS |= {"cincuenta": 50, "cinquenta": 50}
_WORD_NUMBER = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(one|"
    + "|".join(w for w, n in _WORD_NUMBERS.items() if n < 10 and w.isascii())
    + r")\b|\b("
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + r")\b"
)
_ONES = {"one": 1} | {w: n for w, n in _WORD_NUMBERS.items() if n < 10}
# Negations by language: Portuguese "no" and "na" are "in the", not "no".
_NEGATION = {
    "en": re.compile(r"\b(not|no|never|none|neither|nor|without|cannot)\b|n't\b"),
    "es": re.compile(r"\b(no|nunca|ningun|ninguna|ninguno|ni|sin|jamas|tampoco)\b"),
    "pt": re.compile(r"\b(nao|nem|nunca|nenhum|nenhuma|sem|jamais)\b"),
}
# Words of a frame around a quote ("según la fuente (en inglés)"), which add nothing.
_FRAME_WORDS = (
    "source sources fuente fuentes fonte fontes text texto evidence evidencia according segun segundo "
    "english ingles spanish espanol espanhol portuguese portugues"
)
_NAME = re.compile(r"\b[A-ZÀ-Ý][\w'-]*[A-Za-zÀ-ÿ]|\b[A-Z]{2,}\b")


@dataclass(frozen=True)
class Evidence:
    """A unit the reader chose, numbered for the model, and where it stands among the passages."""

    passage: int  # 1-based passage number, as the grounding gate counts
    text: str
    quote: str  # verbatim in the stored text
    language: str
    where: str  # the document's title, as the model reads it
    shown: str = ""  # what the model reads: the text, cut when long

    def __post_init__(self) -> None:
        if not self.shown:
            object.__setattr__(self, "shown", self.text)


def attributed(sentence: DraftSentence, evidence: list[Evidence], question: str) -> DraftSentence | None:
    """The sentence cited to the passage of a unit that backs it, with that unit's quote; None when
    no unit does."""
    cited = [evidence[n - 1] for n in sentence.markers if 1 <= n <= len(evidence)]
    others = [unit for unit in evidence if unit not in cited]
    for unit in [*cited, *others]:
        if backs(unit, sentence.text, question):
            return DraftSentence(sentence.text, (unit.passage,), unit.quote)
    return None


def backs(unit: Evidence, sentence: str, question: str) -> bool:
    source = f"{unit.text} {question}"
    if not _values(sentence) <= _values(source):
        return False
    language = detect_language(sentence)
    if _negated(sentence, language) and not _negated(unit.text, unit.language):
        return False
    known = [fold(word) for word in re.findall(r"[\w'-]+", source)]
    if any(not _named_in(name, known) for name in _names(sentence)):
        return False
    news = set(stems(sentence, language)) - set(stems(f"{question} {_FRAME_WORDS}", language))
    if not news:
        return False
    if language != unit.language:
        return True
    said = set(stems(sentence, unit.language))
    return not said or len(said & set(stems(unit.text, unit.language))) >= SAME_LANGUAGE_SHARE * len(said)


def _negated(text: str, language: str) -> bool:
    return bool(_NEGATION.get(language, _NEGATION["en"]).search(fold(text)))


def _values(text: str) -> set[str]:
    """The numbers a text states, by value ("82,000", "82.000" and "82 mil" alike; "54.5" and
    "54,5" alike), and the months it names."""
    found = set()
    for match in _NUMBER.finditer(text.replace("\u00a0", " ")):
        digits = match.group(0).split()[0]
        # A separator before exactly three digits groups thousands; any other is a decimal point.
        grouped = re.sub(r"[.,](?=\d{3}(?!\d))", "", digits).replace(",", ".")
        try:
            value = float(grouped) * _SCALE.get(fold(match.group(1) or ""), 1)
        except ValueError:
            continue
        found.add(f"{value:.6f}".rstrip("0").rstrip("."))
    folded = fold(text)
    for match in _WORD_NUMBER.finditer(folded):
        if match.group(1):  # "twenty-two"
            found.add(str(_WORD_NUMBERS.get(match.group(1), 0) + _ONES[match.group(2)]))
        else:
            found.add(str(_WORD_NUMBERS[match.group(3)]))
    found |= {_MONTH[w] for w in re.findall(r"[a-z]+", folded) if w in _MONTH}
    return found


def _names(sentence: str) -> list[str]:
    """Capitalised words that are not the sentence's first word, a month, nor a common word."""
    found = []
    for match in _NAME.finditer(sentence):
        if match.start() == 0 or sentence[: match.start()].rstrip().endswith((".", ":", "(", '"')):
            continue
        word = fold(match.group())
        if content_words(word) and word not in _MONTH:
            found.append(word)
    return found


def _named_in(name: str, known: list[str]) -> bool:
    return any(
        word == name
        or (len(name) > NAME_STEM and len(word) > NAME_STEM and name[:NAME_STEM] == word[:NAME_STEM])
        or (len(name) >= 4 and SequenceMatcher(None, name, word).ratio() >= NAME_LIKENESS)
        for word in known
    )
