"""Merge every document's findings into one catalogue entry per thing.

Findings join when they share an acronym ("PGTF"), a folded name or alias, or, across languages,
the same head and the same distinctive words ("Perez-Guerrero Trust Fund" and "Fondo
Pérez-Guerrero": a fund, named by "perez-guerrero"). Curated entries join the same way and then
give the entry its name and type. Bare acronyms that nothing defines are dropped, and so are
curated entries that no document names."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ingest.entities.acronyms import BARE_ACRONYM
from ingest.entities.gazetteer import country_aliases
from ingest.entities.models import Entity, Found
from ingest.entities.names import GENERIC, HEAD_CONCEPTS, head_word
from ingest.text_analysis import fold, stop_words


def resolve(found: list[Found], curated: list[Found] | None = None) -> list[Entity]:
    """Catalogue entries from all findings and the curated list."""
    found = [*found, *(curated or [])]
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    by_key: dict[tuple[str, str], int] = {}
    concepts = {item.acronym for item in found if item.type == "concept"}
    for index, item in enumerate(found):
        if item.type == "concept":
            continue  # "South-South Cooperation (SSC)": no entity, and nothing joins it
        keys = [("name", fold(item.name))] + [("name", fold(a)) for a in item.aliases]
        if item.acronym:
            keys.append(("acronym", item.acronym))
        elif (acronym := _acronym_and_head(item.name)) and acronym not in concepts:
            # "FEMCIDI Fund" is the FEMCIDI; "SSC Program" must not collect every bare "SSC".
            keys.append(("acronym", acronym))
        signature = _signature(item)
        if signature:
            keys.append(("signature", signature))
        for key in keys:
            if key in by_key:
                join(index, by_key[key])
            else:
                by_key[key] = index
    groups: dict[int, list[Found]] = defaultdict(list)
    for index, item in enumerate(found):
        groups[root(index)].append(item)
    entities = [entity for members in groups.values() if (entity := _entry(members))]
    return _with_unique_ids(entities)


def _acronym_and_head(name: str) -> str | None:
    words = name.split()
    if len(words) == 2 and BARE_ACRONYM.fullmatch(words[0]) and fold(words[1]) in HEAD_CONCEPTS:
        return words[0]
    return None


def _signature(item: Found) -> str | None:
    """Head concept plus distinctive words: the same in every language for most proper names."""
    if item.type in ("acronym", "concept", "country"):
        return None
    words = [head_word(w) for w in fold(item.name).split()]
    heads = {HEAD_CONCEPTS[w] for w in words if w in HEAD_CONCEPTS}
    distinctive = sorted({w for w in words if w not in GENERIC and w not in stop_words() and len(w) > 2})
    if len(heads) != 1 or not distinctive:
        return None
    return f"{item.type}:{heads.pop()}:{' '.join(distinctive)}"


def _entry(members: list[Found]) -> Entity | None:
    typed = [m for m in members if m.type not in ("acronym", "concept")]
    curated = next((m for m in members if m.curated), None)
    if not typed or not any(m.mentions for m in members):
        return None  # an acronym nobody defines, or a curated name no document uses
    kind = (
        curated.type if curated else Counter(m.type for m in typed for _ in m.mentions).most_common(1)[0][0]
    )
    acronyms = Counter(m.acronym for m in members if m.acronym)
    # The canonical name: the curated one, else the most often named long form, preferring one given
    # with an acronym.
    names = Counter({m.name: len(m.mentions) + (100 if m.acronym else 0) for m in typed})
    name = curated.name if curated else names.most_common(1)[0][0]
    aliases = sorted(
        ({m.name for m in typed} | set(acronyms) | {a for m in members for a in m.aliases}) - {name}
    )
    if kind == "country":
        aliases = sorted(set(aliases) | set(country_aliases(name)))
    mentions = [mention for m in members for mention in m.mentions]
    acronym = (curated and curated.acronym) or (acronyms.most_common(1)[0][0] if acronyms else None)
    return Entity("", name, kind, acronym, aliases, mentions)


def _with_unique_ids(entities: list[Entity]) -> list[Entity]:
    """Ids from type and acronym or name ("fund:pgtf"), stable across re-ingests."""
    seen: Counter[str] = Counter()
    for entity in sorted(entities, key=lambda e: (-len(e.mentions), e.name)):
        base = f"{entity.type}:{_slug(entity.acronym or entity.name)}"
        seen[base] += 1
        entity.entity_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return entities


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "x"
