"""The gate's checks for a sentence a language model wrote from numbered evidence units.

A small model misreads numbers and negations, swaps names, and forgets or misplaces its [n]
markers. A written sentence is kept only with an evidence unit that backs it:
- every number it states is in the unit (or the question);
- it is not negated unless the unit is ("was not agreed" from "was agreed" is the misreading seen);
- every name it gives is in the unit or the question, matched across spellings (Brasil/Brazil);
- in the unit's own language, most of its content words are in the unit.
Across languages words cannot match, so only numbers, negation and names are checked there.
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

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NEGATION = re.compile(
    r"\b(not|no|never|none|neither|nor|without|cannot|n't|"
    r"nunca|ningun|ninguna|ninguno|ni|sin|jamas|nao|nem|nenhum|nenhuma|sem)\b"
)
_NAME = re.compile(r"\b[A-ZÀ-Ý][\w'-]*[A-Za-zÀ-ÿ]|\b[A-Z]{2,}\b")


@dataclass(frozen=True)
class Evidence:
    """A unit the reader chose, numbered for the model, and where it stands among the passages."""

    passage: int  # 1-based passage number, as the grounding gate counts
    text: str
    quote: str  # verbatim in the stored text
    language: str
    where: str  # "Title, p. 3"
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
    if not set(_numbers(sentence)) <= set(_numbers(source)):
        return False
    if _NEGATION.search(fold(sentence)) and not _NEGATION.search(fold(unit.text)):
        return False
    known = [fold(word) for word in re.findall(r"[\w'-]+", source)]
    if any(not _named_in(name, known) for name in _names(sentence)):
        return False
    if detect_language(sentence) != unit.language:
        return True
    said = set(stems(sentence, unit.language))
    return not said or len(said & set(stems(unit.text, unit.language))) >= SAME_LANGUAGE_SHARE * len(said)


def _numbers(text: str) -> list[str]:
    """Numbers as digits only, so "82,000", "82.000" and "82 000" read alike."""
    return [re.sub(r"\D", "", n) for n in _NUMBER.findall(text.replace("\u00a0", " "))]


def _names(sentence: str) -> list[str]:
    """Capitalised words that are not the sentence's first word nor common words."""
    found = []
    for match in _NAME.finditer(sentence):
        if match.start() == 0 or sentence[: match.start()].rstrip().endswith((".", ":", "(", '"')):
            continue
        word = fold(match.group())
        if content_words(word):
            found.append(word)
    return found


def _named_in(name: str, known: list[str]) -> bool:
    return any(
        word == name or (len(name) >= 4 and SequenceMatcher(None, name, word).ratio() >= NAME_LIKENESS)
        for word in known
    )
