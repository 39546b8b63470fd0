"""Find the entities one document names, in English, Spanish and Portuguese, from three kinds of
evidence: acronym definitions ("Perez-Guerrero Trust Fund (PGTF)", "SELA – Latin American Economic
System"), capitalised names around a head noun that says what they are (Fund/Fondo/Fundo,
Agency/Agencia/Agência, Plan of Action/Plan de Acción ...), and country names from ISO 3166.

Rules, not a model: the packaged NER models are English-only or GPL, and names here are
institutional, so their head nouns type them better than a general NER would."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path

from ingest.entities.gazetteer import countries_in, starts_with_country
from ingest.entities.models import Found, Mention
from ingest.models import Chunk
from ingest.text_analysis import fold, stop_words

# Head nouns, folded, and the type they give. Multi-word heads are checked first.
_PHRASE_HEADS = {
    "plan of action": "agreement",
    "plan de accion": "agreement",
    "plano de acao": "agreement",
    "programme of action": "agreement",
    "programa de accion": "agreement",
    "programme for action": "agreement",
    "program for action": "agreement",
    "program of action": "agreement",
    "development goals": "agreement",
    "objetivos de desarrollo": "agreement",
    "objetivos de desenvolvimento": "agreement",
    "outcome document": "agreement",
    "task team": "agency",
    "task force": "agency",
    "working party": "agency",
    "common market": "agency",
    "mercado comun": "agency",
    "mercado comum": "agency",
}
_HEADS = {
    "fund": "fund", "fondo": "fund", "fundo": "fund", "facility": "fund", "window": "fund",
    "agency": "agency", "agencia": "agency", "ministry": "agency", "ministerio": "agency",
    "bank": "agency", "banco": "agency", "secretariat": "agency", "secretaria": "agency",
    "commission": "agency", "comision": "agency", "comissao": "agency", "organization": "agency",
    "organisation": "agency", "organizacion": "agency", "organizacao": "agency", "office": "agency",
    "oficina": "agency", "system": "agency", "sistema": "agency", "institute": "agency",
    "instituto": "agency", "unit": "agency", "unidad": "agency", "council": "agency",
    "consejo": "agency", "conselho": "agency", "committee": "agency", "comite": "agency",
    "community": "agency", "comunidad": "agency", "comunidade": "agency", "union": "agency",
    "uniao": "agency", "centre": "agency", "center": "agency", "centro": "agency",
    "department": "agency", "departamento": "agency", "group": "agency", "grupo": "agency",
    "corporation": "agency", "corporacion": "agency", "foundation": "agency", "fundacion": "agency",
    "development bank": "agency", "secretary": "agency", "bureau": "agency", "alliance": "agency",
    "alianza": "agency", "alianca": "agency", "parliament": "agency", "parlamento": "agency",
    "assembly": "agency", "asamblea": "agency", "assembleia": "agency",
    "agreement": "agreement", "acuerdo": "agreement", "acordo": "agreement",
    "declaration": "agreement", "declaracion": "agreement", "declaracao": "agreement",
    "resolution": "agreement", "resolucion": "agreement", "resolucao": "agreement",
    "consensus": "agreement", "consenso": "agreement", "framework": "agreement", "marco": "agreement",
    "agenda": "agreement", "convention": "agreement", "convencion": "agreement",
    "convencao": "agreement", "treaty": "agreement", "tratado": "agreement", "decision": "agreement",
    "decisao": "agreement", "protocol": "agreement", "protocolo": "agreement",
    "memorandum": "agreement", "memorando": "agreement", "statement": "agreement",
    "charter": "agreement", "carta": "agreement", "compact": "agreement", "pact": "agreement",
    "pacto": "agreement", "plan": "agreement", "plano": "agreement",
    "programme": "programme", "program": "programme", "programa": "programme",
    "initiative": "programme", "iniciativa": "programme", "project": "programme",
    "proyecto": "programme", "projeto": "programme", "platform": "programme",
    "plataforma": "programme", "network": "programme", "red": "programme", "rede": "programme",
    "forum": "agency", "foro": "agency", "observatory": "programme",
    "observatorio": "programme", "portal": "programme", "laboratory": "programme",
    "laboratorio": "programme",
}  # fmt: skip
# A body's own plans are not agreements between parties: "CDB Strategic Plan", "Plan de Trabajo".
_OWN_PLAN = re.compile(
    r"\b(?:strategic|work|business|operational|operating|term) plans?\b"
    r"|\bplan(?:o|es)? (?:estrategic|operativ|de trabajo|de trabalho|de negocio)"
)
_AGENCY_PREFIXES = ("united nations", "naciones unidas", "nacoes unidas", "world ")
_CONNECTORS = {
    "of", "for", "the", "and", "on", "to", "in", "de", "del", "la", "las", "los", "el", "para", "y",
    "e", "da", "do", "das", "dos", "em", "en", "against", "contra", "sobre", "among", "between",
    "entre",
}  # fmt: skip
# The same head in each language, so "Fondo Pérez-Guerrero" and "Perez-Guerrero Trust Fund" can meet.
_SYNONYMS = [
    ("fund", "fondo", "fundo"), ("agency", "agencia"), ("ministry", "ministerio"), ("bank", "banco"),
    ("secretariat", "secretaria"), ("commission", "comision", "comissao"),
    ("organization", "organisation", "organizacion", "organizacao"), ("office", "oficina"),
    ("system", "sistema"), ("institute", "instituto"), ("council", "consejo", "conselho"),
    ("committee", "comite"), ("community", "comunidad", "comunidade"), ("union", "uniao"),
    ("centre", "center", "centro"), ("agreement", "acuerdo", "acordo"),
    ("declaration", "declaracion", "declaracao"), ("resolution", "resolucion", "resolucao"),
    ("consensus", "consenso"), ("framework", "marco"), ("convention", "convencion", "convencao"),
    ("programme", "program", "programa"), ("initiative", "iniciativa"),
    ("project", "proyecto", "projeto"), ("platform", "plataforma"), ("network", "red", "rede"),
    ("forum", "foro"), ("plan", "plano"),
]  # fmt: skip
HEAD_CONCEPTS = {word: group[0] for group in _SYNONYMS for word in group}
_AND = re.compile(r"\s+(?:and|y|e)\s+")
# Capitalised words that name no one by themselves ("Permanent Secretariat", "Trust Fund").
GENERIC = set(_HEADS) | {
    "permanent", "regional", "international", "internacional", "national", "nacional", "general",
    "executive", "ejecutiva", "ejecutivo", "special", "especial", "technical", "tecnica", "tecnico",
    "joint", "conjunto", "trust", "fiduciario", "cooperation", "cooperacion", "cooperacao",
    "development", "desarrollo", "desenvolvimento", "south-south", "sur-sur", "sul-sul", "new",
    "main", "annual", "final", "public", "private", "action", "accion", "acao",
    "multilateral", "horizontal", "strategy", "estrategia",
}  # fmt: skip
_LEADING = {"the", "el", "la", "los", "las", "o", "a", "os", "as", "this", "its", "their", "our"}
_WORD = r"[A-ZÀ-Ý](?:[\w'’-]|[./](?=\w))*"
# Words joined by single spaces only: a tab separates table cells, which are different names.
_NAME = re.compile(rf"(?:{_WORD})(?: +(?:(?:{'|'.join(sorted(_CONNECTORS))}) +)*(?:{_WORD}))*")
# Resolutions and decisions are named by their number: "General Assembly resolution 62/209",
# "Resolución No. 77/97", "Governing Council Decision 23/1".
_NUMBERED = re.compile(
    rf"(?:(?:{_WORD}) +){{0,4}}(?:[Rr]esolution|[Dd]ecision|[Rr]esoluci[oó]n|[Dd]ecisi[oó]n|"
    r"[Rr]esolu[cç][aã]o|[Dd]ecis[aã]o) +(?:N[o°º]\.? *)?\d+(?:/\d+)+"
)
_FOOTNOTE = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_ACRONYM = r"[A-Z][A-Za-z&/-]*[A-Z][A-Za-z]*|[A-Z]{2,}"
_DEFINED_AFTER = re.compile(rf"\((?P<acr>{_ACRONYM})\)")
_DEFINED_BEFORE = re.compile(rf"\b(?P<acr>{_ACRONYM})\s*\((?P<name>[A-ZÀ-Ý][^()]{{5,120}})\)")
_GLOSSARY = re.compile(rf"^\s*(?P<acr>{_ACRONYM})\s*(?:\t|\s[–—-]\s|:\s)\s*(?P<name>[A-ZÀ-Ý][^\t]{{5,120}})$")
BARE_ACRONYM = re.compile(r"\b[A-Z][A-Z&-]*[A-Z]\b")
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
        for name, acronym, translation in _definitions(sentence):
            spelled.setdefault(acronym, name)
            # "South-South Cooperation (SSC)" defines a concept: kept so that "SSC Programme" is
            # not taken for an entity the acronym names.
            kind = _type_of(name) or (translation and _type_of(translation)) or "concept"
            add(name, kind, _mention(acronym, chunk, sentence), acronym, translation)
        # "GMC's Resolution 47/01" is the resolution: the owner's possessive is not part of it.
        numbered = [re.sub(r"^.*['’]s\s+", "", _trim(m.group(0))) for m in _NUMBERED.finditer(sentence)]
        for name in numbered:
            add(name, "agreement", _mention(name, chunk, sentence))
        for name in _names(_NUMBERED.sub(";", sentence)):
            if head_type := _type_of(name):
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
        if before and fold(before[-1]) in _CONNECTORS | _LEADING:
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
    for match in re.finditer(r"\(([A-ZÀ-Ý][^()]{5,120})\)", sentence):
        before = sentence[: match.start()].rstrip()
        names = [m for m in _NAME.finditer(before) if m.end() == len(before)]
        inner = _trim(match.group(1))
        if not names or len(inner.split()) < 2:
            continue
        name = _trim(names[0].group(0))
        kind = _type_of(name)
        if kind and kind == _type_of(inner) and fold(name) != fold(inner):
            yield name, kind, inner


def _mention(surface: str, chunk: Chunk, sentence: str) -> Mention:
    return Mention(surface, chunk.document_id, chunk.chunk_id, chunk.page, chunk.section, sentence[:500])


def _definitions(sentence: str) -> Iterator[tuple[str, str, str | None]]:
    """(long name, acronym, translation) the sentence defines, checked against the name's initials;
    a glossary gives the translation in brackets: "FEMCIDI  Fondo Especial ... (Special ...)"."""
    for match in _DEFINED_AFTER.finditer(sentence):
        acronym = match.group("acr")
        before = sentence[: match.start()].rstrip()
        names = list(_NAME.finditer(before))
        if names and names[-1].end() == len(before):
            fitted = _fit_to(_trim(names[-1].group(0)), acronym)
            if fitted:
                yield fitted, acronym, None
    for pattern in (_DEFINED_BEFORE, _GLOSSARY):
        for match in pattern.finditer(sentence):
            name = re.split(r"\s*[,;(]", match.group("name"))[0]
            name = _trim(name.strip().rstrip("."))
            bracketed = re.search(r"\(([A-ZÀ-Ý][^()]{5,120})\)", match.group("name"))
            translation = _trim(bracketed.group(1)) if bracketed and " " in bracketed.group(1) else None
            if _initials_match(name, match.group("acr")) or _abbreviates(name, match.group("acr")):
                yield name, match.group("acr"), translation


def _fit_to(name: str, acronym: str) -> str | None:
    """The tail of `name` whose initials best explain the acronym, the shortest of the best (a
    capitalised run can start well before the name: "the Permanent Secretariat of the ...")."""
    best: tuple[float, str] | None = None
    words = name.split()
    for start in range(len(words) - 1, -1, -1):
        candidate = _trim(" ".join(words[start:]))
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
    words = [fold(w).upper() for w in re.split(r"[\s-]+", name) if w and fold(w) not in _CONNECTORS]
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
    initials = [w[0].upper() for w in re.split(r"[\s-]+", name) if w and fold(w) not in _CONNECTORS]
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


def _names(sentence: str) -> Iterator[str]:
    for match in _NAME.finditer(sentence):
        text = match.group(0)
        first, _, rest = text.partition(" ")
        if match.start() == 0 and rest and _opener(first):
            text = rest  # "Moreover the Spain-SEGIB Fund": the opener is not part of the name
        for part in _split_and(text):
            name = _trim(part)
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
        if right and fold(right[0]) in _LEADING:
            separate = bool(_type_of(_trim(parts[0]))) or len(right) > 3
        else:  # "Planning Ministry and ...", "Ministerio de Salud y Fondo ...": a head at the joint
            at_joint = [fold(left.split()[-1]), *(fold(w) for w in right[:1])]
            heads_meet = any(word in _HEADS for word in at_joint)
            separate = heads_meet and bool(_type_of(_trim(left)) and _type_of(_trim(parts[0])))
        if separate:
            parts.insert(0, left)
        else:
            parts[0] = left + joint + parts[0]
    return parts


def _trim(name: str) -> str:
    """Drop leading articles and trailing connectors ("the Fund for" -> "Fund")."""
    words = name.split()
    while words and fold(words[0]) in _LEADING and not starts_with_country(" ".join(words)):
        words.pop(0)
    while words and fold(words[-1]) in _CONNECTORS:
        words.pop()
    return re.sub(r"['’]s$", "", " ".join(words).strip(" .,;:'’"))


def _opener(word: str) -> bool:
    """A capitalised function word that starts a sentence ("Moreover", "Además"), not a name."""
    folded = fold(word)
    return folded in stop_words() and folded not in _HEADS and word[1:].islower()


def _short_form(name: str, kind: str) -> str | None:
    """An English name that runs on past its head ("Seoul Development Consensus of the G20") is
    also known by the part that ends there."""
    words = name.split()
    folded = [fold(word) for word in words]
    if between := [i for i, word in enumerate(folded) if word in ("between", "entre")]:
        # "Agreement between Colombia and Brazil on CS issues": the parties end the name.
        ands = [i for i in range(between[0] + 2, len(words) - 2) if folded[i] in ("and", "y", "e")]
        return " ".join(words[: ands[0] + 2]) if ands else None
    if fold(name).startswith(_AGENCY_PREFIXES):
        return None  # "United Nations Office" would name every UN office
    for index, word in enumerate(words[1:], start=1):
        if fold(word) in ("for", "para", "on", "sobre", "to", "against", "contra"):
            return None  # "Trust Fund for …": the purpose is what tells it apart
        if fold(word) in _CONNECTORS:
            head = fold(words[index - 1])
            if index >= 2 and head in _HEADS and _HEADS[head] == kind and head != fold(words[0]):
                return " ".join(words[:index])
            return None
    return None


def _type_of(name: str) -> str | None:
    """The type the name's head noun gives: the last head before the first connector (English
    "Perez-Guerrero Trust Fund") or the first word (Spanish/Portuguese "Fondo Conjunto de ...")."""
    folded = fold(name)
    if _OWN_PLAN.search(folded):
        return None
    if folded in ("united nations", "naciones unidas", "nacoes unidas"):
        return "agency"
    for phrase, kind in _PHRASE_HEADS.items():
        if re.search(rf"\b{phrase}\b", folded):
            return kind
    words = [head_word(word) if index else word for index, word in enumerate(folded.split())]
    if words and words[0] in _HEADS:
        return _agency_if_un(folded, _HEADS[words[0]])
    first_part: list[str] = []
    for word in words:
        if word in _CONNECTORS and word not in ("and", "y", "e"):
            break  # "Food and Agriculture Organization": "and" joins words of the first part
        first_part.append(word)
    for word in reversed(first_part):
        if word in _HEADS:
            return _agency_if_un(folded, _HEADS[word])
        if word.endswith("s") and word[:-1] in _HEADS:
            return None  # "Country Offices", "UNDP ART Framework Programs": a kind, not one body
    return None


def head_word(word: str) -> str:
    """The head noun a folded word stands for: the last of "programme/fund", the singular of
    "frameworks" or "fondos" (not as a name's first word: "Funds for SSC" is no name). Funds and
    frameworks are named in the plural ("Variable Funds"); agencies and programmes are not."""
    word = word.rsplit("/", 1)[-1]
    if word not in _HEADS and word.endswith("s") and _HEADS.get(word[:-1]) in ("fund", "agreement"):
        return word[:-1]
    return word


def _agency_if_un(folded: str, kind: str) -> str:
    """United Nations bodies named Programme or Fund are agencies (UNDP, WFP, UNICEF); a trust fund
    or a fund for a purpose ("United Nations Fund for South-South Cooperation") is money."""
    if kind not in ("programme", "fund") or not folded.startswith(_AGENCY_PREFIXES):
        return kind
    if "trust fund" in folded or re.search(r"\b(fund|fondo|fundo) (for|para)\b", folded):
        return kind
    return "agency"


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """A hash of the rules: when they change, every document's findings are extracted again."""
    from ingest.entities import gazetteer

    sources = [Path(__file__).read_bytes(), Path(gazetteer.__file__).read_bytes()]
    return hashlib.sha256(b"".join(sources)).hexdigest()[:12]
