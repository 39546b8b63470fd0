"""Acronym definitions: "Perez-Guerrero Trust Fund (PGTF)", "SEETF (South-South Experience Exchange
Trust Fund)", glossary rows "AAA<tab>Accra Agenda for Action", each checked against the name's
initials or the prefixes of its words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ingest.entities.names import BRACKETED, CONNECTORS, name_before, trim
from ingest.text_analysis import fold

# Bounded, so that a page of capitals cannot make the patterns backtrack for seconds.
_ACRONYM = r"[A-Z][A-Za-z&/-]{0,14}[A-Z][A-Za-z]{0,4}|[A-Z]{2,16}"
_DEFINED_AFTER = re.compile(rf"\((?P<acr>{_ACRONYM})\)")
_DEFINED_BEFORE = re.compile(rf"\b(?P<acr>{_ACRONYM})\s*\((?P<name>[A-ZÀ-Ý][^()]{{5,120}})\)")
_GLOSSARY = re.compile(rf"^\s*(?P<acr>{_ACRONYM})\s*(?:\t|\s[–—-]\s|:\s)\s*(?P<name>[A-ZÀ-Ý][^\t]{{5,120}})$")
BARE_ACRONYM = re.compile(r"\b[A-Z][A-Z&/-]{0,14}[A-Z]\b")


def definitions(sentence: str) -> Iterator[tuple[str, str, str | None]]:
    """(long name, acronym, translation) the sentence defines, checked against the name's initials;
    a glossary gives the translation in brackets: "FEMCIDI  Fondo Especial ... (Special ...)"."""
    for match in _DEFINED_AFTER.finditer(sentence):
        acronym = match.group("acr")
        name = name_before(sentence, match.start())
        if name and (fitted := _fit_to(name, acronym)):
            yield fitted, acronym, None
    for pattern in (_DEFINED_BEFORE, _GLOSSARY):
        for match in pattern.finditer(sentence):
            name = re.split(r"\s*[,;(]", match.group("name"))[0]
            name = trim(name.strip().rstrip("."))
            bracketed = BRACKETED.search(match.group("name"))
            translation = trim(bracketed.group(1)) if bracketed and " " in bracketed.group(1) else None
            if _initials_match(name, match.group("acr")) or _abbreviates(name, match.group("acr")):
                yield name, match.group("acr"), translation


def _fit_to(name: str, acronym: str) -> str | None:
    """The tail of `name` whose initials best explain the acronym, the shortest of the best (a
    capitalised run can start well before the name: "the Permanent Secretariat of the ...")."""
    best: tuple[float, str] | None = None
    words = name.split()
    for start in range(len(words) - 1, -1, -1):
        candidate = trim(" ".join(words[start:]))
        score = (
            (1.0 if _abbreviates(candidate, acronym) else _initials_score(candidate, acronym))
            if candidate
            else 0.0
        )
        if score >= 0.75 and (best is None or score > best[0]):
            best = (score, candidate)
    return best[1] if best else None


def _initials_match(name: str, acronym: str) -> bool:
    return _initials_score(name, acronym) >= 0.75


def _abbreviates(name: str, acronym: str) -> bool:
    """The acronym spells, in order, a prefix of each of most of the name's words: "AMEXCID" is
    Agencia MEXicana de Cooperación Internacional para el Desarrollo."""
    words = [fold(w).upper() for w in re.split(r"[\s-]+", name) if w and fold(w) not in CONNECTORS]
    letters = "".join(c for c in fold(acronym).upper() if c.isalpha())
    if len(words) < 2 or not letters:
        return False

    @cache
    def fits(i: int, j: int, skipped: int) -> bool:
        if i == len(letters):
            return j == len(words) or (skipped + len(words) - j) <= len(words) // 3
        if j == len(words):
            return False
        word = words[j]
        lengths = {*range(1, 4), len(word)}  # a prefix of up to 3 letters, or an acronym inside
        taken = any(word[:n] == letters[i : i + n] and fits(i + n, j + 1, skipped) for n in lengths)
        return taken or (j > 0 and skipped < len(words) // 3 and fits(i, j + 1, skipped + 1))

    return fits(0, 0, 0)


def _initials_score(name: str, acronym: str) -> float:
    """The share of the acronym's letters that are initials of the name's words, in any order (so
    "SELA" fits "Latin American Economic System"); 0 when the name is far longer than the acronym."""
    initials = [w[0].upper() for w in re.split(r"[\s-]+", name) if w and fold(w) not in CONNECTORS]
    letters = [c for c in acronym.upper() if c.isalpha()]
    if len(initials) < 2 or not letters or letters[0] not in initials or len(initials) > len(letters) + 3:
        return 0.0
    pool = list(initials)
    hits = 0
    for letter in letters:
        if letter in pool:
            pool.remove(letter)
            hits += 1
    return hits / len(letters)
