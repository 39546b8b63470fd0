"""What a name looks like and what its head noun makes it: the EN/ES/PT vocabulary of the rules
(head nouns and their types, connectors, words that name no one) and the functions that read it."""

from __future__ import annotations

import re

from ingest.entities.gazetteer import starts_with_country
from ingest.text_analysis import fold

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
HEADS = {
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
AGENCY_PREFIXES = ("united nations", "naciones unidas", "nacoes unidas", "world ")
CONNECTORS = {
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

# Capitalised words that name no one by themselves ("Permanent Secretariat", "Trust Fund").
GENERIC = set(HEADS) | {
    "permanent", "regional", "international", "internacional", "national", "nacional", "general",
    "executive", "ejecutiva", "ejecutivo", "special", "especial", "technical", "tecnica", "tecnico",
    "joint", "conjunto", "trust", "fiduciario", "cooperation", "cooperacion", "cooperacao",
    "development", "desarrollo", "desenvolvimento", "south-south", "sur-sur", "sul-sul", "new",
    "main", "annual", "final", "public", "private", "action", "accion", "acao",
    "multilateral", "horizontal", "strategy", "estrategia",
}  # fmt: skip
LEADING = {"the", "el", "la", "los", "las", "o", "a", "os", "as", "this", "its", "their", "our"}
WORD = r"[A-ZÀ-Ý](?:[\w'’-]|[./](?=\w))*"
# Words joined by single spaces only: a tab separates table cells, which are different names.
NAME = re.compile(rf"(?:{WORD})(?: +(?:(?:{'|'.join(sorted(CONNECTORS))}) +)*(?:{WORD}))*")


# A capitalised name in brackets: a translation or a long form ("(Special Multilateral Fund ...)").
BRACKETED = re.compile(r"\(([A-ZÀ-Ý][^()]{5,120})\)")


def name_before(text: str, end: int) -> str | None:
    """The capitalised name that ends where `text[end:]` begins (spaces aside), trimmed."""
    before = text[:end].rstrip()
    names = [m for m in NAME.finditer(before) if m.end() == len(before)]
    return trim(names[0].group(0)) if names else None


def trim(name: str) -> str:
    """Drop leading articles and connectors and trailing connectors ("the Fund for" -> "Fund")."""
    words = name.split()
    while words and fold(words[0]) in LEADING | CONNECTORS and not starts_with_country(" ".join(words)):
        words.pop(0)
    while words and fold(words[-1]) in CONNECTORS:
        words.pop()
    return re.sub(r"['’]s$", "", " ".join(words).strip(" .,;:'’"))


def type_of(name: str) -> str | None:
    """The type the name's head noun gives.

    A head phrase ("Plan of Action", "Development Goals") counts where it opens the name or stands
    in its first part with no head after it ("Buenos Aires Plan of Action", but not "Millennium
    Development Goals Achievement Fund"). Otherwise the first word gives it (Spanish/Portuguese
    "Fondo Conjunto de ..."), or else the last head before the first connector (English
    "Perez-Guerrero Trust Fund"). A body's own plans, and plural agency or programme nouns, give
    none."""
    folded = fold(name)
    if _OWN_PLAN.search(folded):
        return None
    if folded in ("united nations", "naciones unidas", "nacoes unidas"):
        return "agency"
    words = [head_word(word) if index else word for index, word in enumerate(folded.split())]
    first_part: list[str] = []
    for word in words:
        opening_article = word in LEADING and all(w in LEADING for w in first_part)  # "El Salvador"
        if word in CONNECTORS and word not in ("and", "y", "e") and not opening_article:
            break  # "Food and Agriculture Organization": "and" joins words of the first part
        first_part.append(word)
    for phrase, kind in _PHRASE_HEADS.items():
        if match := re.search(rf"\b{phrase}\b", folded):
            at = len(folded[: match.start()].split())  # the word the phrase starts at
            after = first_part[at + len(phrase.split()) :]
            if at == 0 or (at < len(first_part) and not any(word in HEADS for word in after)):
                return kind
    if words and words[0] in HEADS:
        return _agency_if_un(folded, HEADS[words[0]])
    for word in reversed(first_part):
        if word in HEADS:
            return _agency_if_un(folded, HEADS[word])
        if word.endswith("s") and word[:-1] in HEADS:
            return None  # "Country Offices", "UNDP ART Framework Programs": a kind, not one body
    return None


def head_word(word: str) -> str:
    """The head noun a folded word stands for: the last of "programme/fund", the singular of
    "frameworks" or "fondos" (not as a name's first word: "Funds for SSC" is no name). Funds and
    frameworks are named in the plural ("Variable Funds"); agencies and programmes are not."""
    word = word.rsplit("/", 1)[-1]
    if word not in HEADS and word.endswith("s") and HEADS.get(word[:-1]) in ("fund", "agreement"):
        return word[:-1]
    return word


def _agency_if_un(folded: str, kind: str) -> str:
    """United Nations bodies named Programme or Fund are agencies (UNDP, WFP, UNICEF); a trust fund
    or a fund for a purpose ("United Nations Fund for South-South Cooperation") is money."""
    if kind not in ("programme", "fund") or not folded.startswith(AGENCY_PREFIXES):
        return kind
    if "trust fund" in folded or re.search(r"\b(fund|fondo|fundo) (for|para)\b", folded):
        return kind
    return "agency"
