"""Find the entities one document names, in English, Spanish and Portuguese, from three kinds of
evidence: acronym definitions ("Perez-Guerrero Trust Fund (PGTF)", "SELA – Latin American Economic
System"), capitalised names around a head noun that says what they are (Fund/Fondo/Fundo,
Agency/Agencia/Agência, Plan of Action/Plan de Acción ...), and country names from ISO 3166.

Rules, not a model: the packaged NER models are English-only or GPL, and names here are
institutional, so their head nouns type them better than a general NER would. The vocabulary and
the typing are in `names.py`, acronym definitions in `acronyms.py`; this module finds where names
begin and end in a document and gathers what they say."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from ingest.entities.acronyms import BARE_ACRONYM, definitions
from ingest.entities.gazetteer import countries_in, is_country
from ingest.entities.models import Found, Mention
from ingest.entities.names import (
    AGENCY_PREFIXES,
    BRACKETED,
    CONNECTORS,
    GENERIC,
    HEADS,
    LEADING,
    NAME,
    WORD,
    name_before,
    trim,
    type_of,
)
from ingest.models import Chunk
from ingest.text_analysis import fold, stop_words

_AND = re.compile(r"\s+(?:and|y|e)\s+")
# Resolutions and decisions are named by their number: "General Assembly resolution 62/209",
# "Resolución No. 77/97", "Governing Council Decision 23/1".
_NUMBERED = re.compile(
    rf"(?:(?:{WORD}) +){{0,4}}(?:[Rr]esolution|[Dd]ecision|[Rr]esoluci[oó]n|[Dd]ecisi[oó]n|"
    r"[Rr]esolu[cç][aã]o|[Dd]ecis[aã]o) +(?:N[o°º]\.? *)?\d+(?:/\d+)+"
)
_FOOTNOTE = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“(¿¡A-ZÀ-Ý])")


def extract(chunks: Iterable[Chunk]) -> list[Found]:
    """The entities a document's chunks name, one Found per distinct name in the document."""
    found: dict[tuple[str, str], Found] = {}
    acronyms: dict[str, Found] = {}
    spelled: dict[str, str] = {}  # every acronym the document spells out, entity or not

    def add(
        name: str, kind: str, mention: Mention, acronym: str | None = None, short: str | None = None
    ) -> None:
        key = (fold(name), kind)
        entry = found.setdefault(key, Found(name=name, type=kind))
        if not entry.mentions or entry.mentions[-1] != mention:  # one sentence, one mention
            entry.mentions.append(mention)
        if short:
            entry.aliases.add(short)
        if acronym:
            entry.acronym = entry.acronym or acronym
            entry.aliases.add(acronym)
            if kind != "concept":  # a concept's bare acronym may be another document's entity
                acronyms.setdefault(acronym, entry)

    sentences = [
        (chunk, sentence) for chunk in chunks for sentence in _sentences(_FOOTNOTE.sub("", chunk.text))
    ]
    for chunk, sentence in sentences:
        for name, acronym, translation in definitions(sentence):
            spelled.setdefault(acronym, name)
            # "South-South Cooperation (SSC)" defines a concept: kept so that "SSC Programme" is
            # not taken for an entity the acronym names.
            kind = type_of(name) or (translation and type_of(translation)) or "concept"
            add(name, kind, _mention(acronym, chunk, sentence), acronym, translation)
        # "GMC's Resolution 47/01" is the resolution: the owner's possessive is not part of it.
        numbered = [re.sub(r"^.*['’]s\s+", "", trim(m.group(0))) for m in _NUMBERED.finditer(sentence)]
        for name in numbered:
            add(name, "agreement", _mention(name, chunk, sentence))
        for name in _names(_NUMBERED.sub(";", sentence)):
            if head_type := type_of(name):
                add(name, head_type, _mention(name, chunk, sentence), short=_short_form(name, head_type))
        for name, kind, translation in _translated(sentence):
            add(name, kind, _mention(name, chunk, sentence), short=translation)
        for name in countries_in(sentence):
            add(name, "country", _mention(name, chunk, sentence))
    # Bare acronyms ("the PGTF approved ..."): mentions of whatever they were defined as here.
    # Ones defined in another document are resolved when the catalogue merges documents.
    for chunk, sentence in sentences:
        for acronym in set(BARE_ACRONYM.findall(sentence)):
            if acronym in acronyms:
                acronyms[acronym].mentions.append(_mention(acronym, chunk, sentence))
            elif 2 <= len(acronym) <= 10:
                key = (acronym, "acronym")
                entry = found.setdefault(key, Found(name=acronym, type="acronym", acronym=acronym))
                entry.mentions.append(_mention(acronym, chunk, sentence))
    entries = _merge_short_references(list(found.values()))
    for entry in entries:
        if entry.type not in ("acronym", "concept", "country"):
            entry.aliases |= _spelled_out(entry.name, spelled)
    return entries


def _merge_short_references(entries: list[Found]) -> list[Found]:
    """A name that ends a longer one of the same type is a later short reference to it
    ("the Hemispheric Agenda" after "the Decent Work Hemispheric Agenda"), when only one fits."""
    named = [e for e in entries if e.type not in ("acronym", "concept", "country")]
    merged: set[int] = set()
    for short in named:
        words = fold(short.name).split()
        longer = [
            e
            for e in named
            if e is not short and e.type == short.type and fold(e.name).endswith(" " + " ".join(words))
        ]
        # Not "Press Department of the Permanent Secretariat": that is another body, of it.
        before = longer[0].name.split()[: -len(words)] if len(longer) == 1 else []
        if before and fold(before[-1]) in CONNECTORS | LEADING:
            continue
        if len(words) >= 2 and len(longer) == 1 and short.acronym in (None, longer[0].acronym):
            target = longer[0]
            target.mentions += short.mentions
            target.aliases |= short.aliases | {short.name}
            merged.add(id(short))
    return [e for e in entries if id(e) not in merged]


def _spelled_out(name: str, spelled: dict[str, str]) -> set[str]:
    """The name with an acronym in it written out ("Regulatory Framework for SSC" is also
    "... for South-South Cooperation"), so other documents' full names meet it."""
    words = name.split()
    return {
        " ".join([*words[:i], spelled[word], *words[i + 1 :]])
        for i, word in enumerate(words)
        if word in spelled and spelled[word] != name
    }


def _sentences(text: str) -> Iterator[str]:
    """Sentences of prose and whole table rows (a row is where its cells relate)."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if "\t" in line:
            yield line
        else:
            yield from (s.strip() for s in _SENTENCE_END.split(line) if s.strip())


def _translated(sentence: str) -> Iterator[tuple[str, str, str]]:
    """(name, type, its translation) from "Red de Formación Ambiental (Environmental Training Network)":
    a name of the same type in brackets after a name is the same thing in another language."""
    for match in BRACKETED.finditer(sentence):
        name = name_before(sentence, match.start())
        inner = trim(match.group(1))
        if not name or len(inner.split()) < 2:
            continue
        kind = type_of(name)
        if kind and kind == type_of(inner) and fold(name) != fold(inner):
            yield name, kind, inner


def _mention(surface: str, chunk: Chunk, sentence: str) -> Mention:
    return Mention(surface, chunk.document_id, chunk.chunk_id, chunk.page, chunk.section, sentence[:500])


def _names(sentence: str) -> Iterator[str]:
    for match in NAME.finditer(sentence):
        text = match.group(0)
        first, _, rest = text.partition(" ")
        if match.start() == 0 and rest.strip() and _opener(first):
            text = rest.lstrip()  # "Moreover the Spain-SEGIB Fund": the opener is not part of the name
        for part in _split_and(text):
            name = trim(part)
            words = name.split()
            if name.isupper() and len(name) > 12:
                continue  # "SUPPORT FROM OTHER MULTILATERAL ORGANIZATIONS": a heading
            if len(words) >= 2 and any(w[0].isupper() and fold(w) not in GENERIC for w in words):
                yield name


def _split_and(text: str) -> list[str]:
    """Where "and" separates two names: "the Ministry of Finance and the Ministry of Health",
    "Planning Ministry and Solidarity and Social Investment Fund". "Economic Commission for Latin
    America and the Caribbean" and "Food and Agriculture Organization" stay one name: after "and
    the", a short part with no head of its own joins; after a bare "and", a side without one does.
    Read from the right, where English names end in their head."""
    pieces = re.split(rf"({_AND.pattern})", text)
    parts = [pieces[-1]]
    for left, joint in zip(pieces[-3::-2], pieces[-2::-2], strict=True):
        right = parts[0].split()
        if not left.split() or not right:
            separate = False
        elif fold(right[0]) in LEADING:
            separate = bool(type_of(trim(parts[0]))) or len(right) > 3
        else:  # "Planning Ministry and ...", "Ministerio de Salud y Fondo ...": a head at the joint
            at_joint = [fold(left.split()[-1]), fold(right[0])]
            heads_meet = any(word in HEADS for word in at_joint)
            separate = heads_meet and bool(type_of(trim(left)) and type_of(trim(parts[0])))
        if separate:
            parts.insert(0, left)
        else:
            parts[0] = left + joint + parts[0]
    return parts


def _opener(word: str) -> bool:
    """A capitalised function word that starts a sentence ("Moreover", "Además"), not a name."""
    folded = fold(word)
    return folded in stop_words() and folded not in HEADS and word[1:].islower()


def _short_form(name: str, kind: str) -> str | None:
    """An English name that runs on past its head ("Seoul Development Consensus of the G20") is
    also known by the part that ends there; an agreement between two countries, by the part that
    ends with the second ("Agreement between Colombia and Brazil on CS issues")."""
    words = name.split()
    folded = [fold(word) for word in words]
    if between := [i for i, word in enumerate(folded) if word in ("between", "entre")]:
        ands = [i for i in range(between[0] + 2, len(words) - 1) if folded[i] in ("and", "y", "e")]
        for end in range(len(words) - 1, ands[0] + 1, -1) if ands else ():
            if is_country(" ".join(words[ands[0] + 1 : end])):
                return " ".join(words[:end])
        return None
    if fold(name).startswith(AGENCY_PREFIXES):
        return None  # "United Nations Office" would name every UN office
    for index, word in enumerate(words[1:], start=1):
        if fold(word) in ("for", "para", "on", "sobre", "to", "against", "contra"):
            return None  # "Trust Fund for …": the purpose is what tells it apart
        if fold(word) in CONNECTORS:
            head = fold(words[index - 1])
            if index >= 2 and head in HEADS and HEADS[head] == kind and head != fold(words[0]):
                return " ".join(words[:index])
            return None
    return None


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """A hash of the rules: when they change, every document's findings are extracted again."""
    from ingest.entities import acronyms, gazetteer, names

    sources = [Path(m.__file__).read_bytes() for m in (acronyms, gazetteer, names) if m.__file__]
    sources.append(Path(__file__).read_bytes())
    return hashlib.sha256(b"".join(sources)).hexdigest()[:12]
