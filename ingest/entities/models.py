"""What the catalogue is made of: entities, and the places the corpus names them."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPES = ("agency", "fund", "agreement", "programme", "country")


@dataclass(frozen=True)
class Mention:
    """One naming of an entity: where, and the sentence or table row it stands in."""

    surface: str
    document_id: str
    chunk_id: str
    page: int
    section: str
    sentence: str


@dataclass
class Found:
    """An entity as one document names it, before it is merged with other documents' findings."""

    name: str
    type: str
    acronym: str | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    curated: bool = False  # from the curated list: its name and type win over the rules'


@dataclass
class Entity:
    """A catalogue entry: every document's findings of one thing, under one canonical name."""

    entity_id: str
    name: str
    type: str
    acronym: str | None
    aliases: list[str]
    mentions: list[Mention] = field(default_factory=list)
    mention_count: int = 0
