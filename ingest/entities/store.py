"""The entity catalogue in the data directory (`entities.sqlite`, beside Chroma).

Each document's findings are kept with the hash of the document they came from; `sync` brings
them in line with the document store (new or changed documents extracted, removed ones dropped)
and rebuilds the merged catalogue. Reconciling against the store, rather than hooking each write,
means a crash between the two never leaves them disagreeing for longer than the next ingest."""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from dataclasses import asdict
from pathlib import Path

from ingest.document_store import DocumentStore
from ingest.entities.curated import read_curated
from ingest.entities.extraction import extract, extraction_version
from ingest.entities.models import Entity, Found, Mention
from ingest.entities.resolution import resolve
from ingest.sqlite_files import open_database
from ingest.text_analysis import fold

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS findings (document_id TEXT PRIMARY KEY, sha256 TEXT, payload TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS entities (
    entity_id TEXT PRIMARY KEY, name TEXT, type TEXT, acronym TEXT, aliases TEXT, mention_count INTEGER);
CREATE TABLE IF NOT EXISTS names (name TEXT, entity_id TEXT, exact INTEGER);
CREATE INDEX IF NOT EXISTS names_by_name ON names (name);
CREATE TABLE IF NOT EXISTS mentions (
    entity_id TEXT, document_id TEXT, chunk_id TEXT, page INTEGER, section TEXT, sentence TEXT,
    surface TEXT);
CREATE INDEX IF NOT EXISTS mentions_by_entity ON mentions (entity_id);
CREATE INDEX IF NOT EXISTS mentions_by_chunk ON mentions (chunk_id);
"""


class EntityStore:
    def __init__(self, path: Path, curated_path: Path | None = None) -> None:
        self._db = open_database(path, _SCHEMA)
        self._lock = threading.Lock()
        self._curated_path = curated_path

    def sync(self, documents: DocumentStore) -> bool:
        """Extract what changed, drop what is gone, rebuild the catalogue; True if anything changed."""
        version = extraction_version()
        records = {r.document_id: f"{r.sha256}:{version}" for r in documents.list_documents()}
        curated, curated_digest = read_curated(self._curated_path)
        with self._lock:
            known = dict(self._db.execute("SELECT document_id, sha256 FROM findings").fetchall())
            row = self._db.execute("SELECT value FROM meta WHERE key = 'curated'").fetchone()
        stale = [d for d in known if d not in records]
        fresh = {d: sha for d, sha in records.items() if known.get(d) != sha}
        if not stale and not fresh and (row[0] if row else "") == curated_digest:
            return False
        extracted = {d: self._extract(documents, d) for d in fresh}  # outside the lock: the slow part
        with self._lock, self._db:
            self._db.executemany("DELETE FROM findings WHERE document_id = ?", [(d,) for d in stale])
            self._db.executemany(
                "INSERT OR REPLACE INTO findings VALUES (?, ?, ?)",
                [(d, fresh[d], json.dumps([_dump(f) for f in found])) for d, found in extracted.items()],
            )
            self._write(resolve(self._findings(), curated))
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('curated', ?)", (curated_digest,))
        return True

    @staticmethod
    def _extract(documents: DocumentStore, document_id: str) -> list[Found]:
        """A document whose text trips the rules gets no entities, and the ingest goes on."""
        try:
            return extract(documents.chunks(documents.chunk_ids(document_id)).values())
        except Exception:
            log.exception("entity extraction failed for %s; it is catalogued without entities", document_id)
            return []

    def rebuilt(self, with_curated: bool = True) -> list[Entity]:
        """The catalogue resolved afresh from the stored findings, in memory: the entity eval
        compares it with and without the curated list."""
        with self._lock:
            findings = self._findings()
        curated = read_curated(self._curated_path)[0] if with_curated else []
        return resolve(findings, curated)

    def _findings(self) -> list[Found]:
        """Every document's stored findings (the caller holds the lock)."""
        payloads = [row[0] for row in self._db.execute("SELECT payload FROM findings")]
        return [_load(item) for payload in payloads for item in json.loads(payload)]

    def _write(self, entities: list[Entity]) -> None:
        for table in ("entities", "names", "mentions"):
            self._db.execute(f"DELETE FROM {table}")
        self._db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)",
            [
                (e.entity_id, e.name, e.type, e.acronym, json.dumps(e.aliases), len(e.mentions))
                for e in entities
            ],
        )
        # Acronyms match as written ("ART" the programme, not "art"); other names accents and case aside.
        self._db.executemany(
            "INSERT INTO names VALUES (?, ?, ?)",
            [
                (n if n.isupper() else fold(n), e.entity_id, int(n.isupper()))
                for e in entities
                for n in {e.name, *e.aliases}
            ],
        )
        self._db.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (e.entity_id, m.document_id, m.chunk_id, m.page, m.section, m.sentence, m.surface)
                for e in entities
                for m in e.mentions
            ],
        )

    def page(
        self,
        kind: str | None = None,
        query: str | None = None,
        document_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Entity], int]:
        """A page of entries, most mentioned first, and how many match in all."""
        where, args = ["1 = 1"], []
        if kind:
            where.append("e.type = ?")
            args.append(kind)
        if query:
            where.append("e.entity_id IN (SELECT entity_id FROM names WHERE name LIKE ?)")
            args.append(f"%{fold(query)}%")
        if document_id:
            where.append("e.entity_id IN (SELECT entity_id FROM mentions WHERE document_id = ?)")
            args.append(document_id)
        condition = " AND ".join(where)
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM entities e WHERE {condition}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT * FROM entities e WHERE {condition} "
                "ORDER BY mention_count DESC, name LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return [_entity(row) for row in rows], total

    def get(self, entity_id: str) -> Entity | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM entities WHERE entity_id = ?", (entity_id,)).fetchone()
            if row is None:
                return None
            mentions = self._db.execute(
                "SELECT surface, document_id, chunk_id, page, section, sentence FROM mentions "
                "WHERE entity_id = ? ORDER BY document_id, page",
                (entity_id,),
            ).fetchall()
        entity = _entity(row)
        entity.mentions = [Mention(*m) for m in mentions]
        return entity

    def summaries(self, entity_ids: list[str]) -> list[Entity]:
        """Entries without their mentions, in the order asked (a country's mentions run to hundreds)."""
        if not entity_ids:
            return []
        marks = ",".join("?" * len(entity_ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM entities WHERE entity_id IN ({marks})", entity_ids
            ).fetchall()
        found = {row[0]: _entity(row) for row in rows}
        return [found[i] for i in entity_ids if i in found]

    def related(self, entity_id: str, limit: int = 20) -> list[tuple[Entity, int]]:
        """Entities named in the same sentence or table row, with how often."""
        with self._lock:
            rows = self._db.execute(
                "SELECT e.*, COUNT(*) AS together FROM mentions a JOIN mentions b "
                "ON a.chunk_id = b.chunk_id AND a.sentence = b.sentence AND a.entity_id != b.entity_id "
                "JOIN entities e ON e.entity_id = b.entity_id WHERE a.entity_id = ? "
                "GROUP BY e.entity_id ORDER BY together DESC, e.name LIMIT ?",
                (entity_id, limit),
            ).fetchall()
        return [(_entity(row[:6]), row[6]) for row in rows]

    def named_in(self, text: str) -> list[str]:
        """Ids of the entities a text names by any name or alias (word-bounded, accents aside)."""
        with self._lock:
            names = self._db.execute("SELECT name, entity_id, exact FROM names").fetchall()
        return named_among(text, names)

    def names_of(self, entity_ids: list[str]) -> list[tuple[str, str, int]]:
        """(name, entity id, exact) for every name of the given entities, to match many texts."""
        if not entity_ids:
            return []
        marks = ",".join("?" * len(entity_ids))
        with self._lock:
            return self._db.execute(
                f"SELECT name, entity_id, exact FROM names WHERE entity_id IN ({marks})", entity_ids
            ).fetchall()

    def chunks_mentioning(self, entity_ids: list[str]) -> set[str]:
        if not entity_ids:
            return set()
        marks = ",".join("?" * len(entity_ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT DISTINCT chunk_id FROM mentions WHERE entity_id IN ({marks})", entity_ids
            )
            return {row[0] for row in rows}

    def entities_in_chunks(self, chunk_ids: list[str]) -> dict[str, set[str]]:
        """Chunk id -> the ids of the entities it mentions (the chunk's entity metadata)."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        out: dict[str, set[str]] = {}
        with self._lock:
            rows = self._db.execute(
                f"SELECT chunk_id, entity_id FROM mentions WHERE chunk_id IN ({marks})", chunk_ids
            ).fetchall()
        for chunk_id, entity_id in rows:
            out.setdefault(chunk_id, set()).add(entity_id)
        return out

    def typed_in_chunks(self, chunk_ids: list[str], kind: str) -> dict[str, int]:
        """Chunk id -> how many distinct entities of the type it mentions."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT m.chunk_id, COUNT(DISTINCT m.entity_id) FROM mentions m "
                f"JOIN entities e ON e.entity_id = m.entity_id "
                f"WHERE m.chunk_id IN ({marks}) AND e.type = ? GROUP BY m.chunk_id",
                [*chunk_ids, kind],
            ).fetchall()
        return dict(rows)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def named_among(text: str, names: list[tuple[str, str, int]]) -> list[str]:
    """Ids of the given names' entities that the text names; an exact name keeps its case."""
    spaced = f" {' '.join(text.replace('’', ' ').split())} "
    folded = fold(spaced)
    found = [
        entity_id
        for name, entity_id, exact in names
        if len(name) >= 2 and _bounded(name, spaced if exact else folded)
    ]
    return list(dict.fromkeys(found))


def spans_among(text: str, names: list[tuple[str, str, int]]) -> list[tuple[int, int, str]]:
    """(start, end, entity id) of each place the text names one of the entities, in text order.
    Where names overlap the longest wins: "Japan" inside "Japan International Cooperation Agency"
    is the agency, not the country."""
    present = set(named_among(text, names))
    folded, origin = _folded_with_origin(text)
    found: list[tuple[int, int, str]] = []
    for name, entity_id, exact in names:
        if entity_id not in present or len(name.strip()) < 2:
            continue
        pattern = r"(?<!\w)" + r"[\s’]+".join(map(re.escape, name.split())) + r"(?!\w)"
        if exact:
            found += [(m.start(), m.end(), entity_id) for m in re.finditer(pattern, text)]
        else:
            found += [
                (origin[m.start()], _past_accents(text, origin[m.end() - 1] + 1), entity_id)
                for m in re.finditer(pattern, folded)
            ]
    kept: list[tuple[int, int, str]] = []
    for start, end, entity_id in sorted(found, key=lambda f: f[0] - f[1]):
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, entity_id))
    return sorted(kept)


def _past_accents(text: str, end: int) -> int:
    """A span ending before a combining accent ("Bogota" + U+0301) takes the accent in."""
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, where in `text` it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for out in fold(char):
            folded.append(out)
            origin.append(index)
    return "".join(folded), origin


def _bounded(name: str, folded_text: str) -> bool:
    """`name` occurs in the text as whole words."""
    start = folded_text.find(name)
    while start != -1:
        before, after = folded_text[start - 1], folded_text[start + len(name) : start + len(name) + 1]
        if not before.isalnum() and not after.isalnum():
            return True
        start = folded_text.find(name, start + 1)
    return False


def _entity(row: tuple) -> Entity:
    entity_id, name, kind, acronym, aliases, count = row
    return Entity(entity_id, name, kind, acronym, json.loads(aliases), mention_count=count)


def _dump(found: Found) -> dict:
    return {**asdict(found), "aliases": sorted(found.aliases)}


def _load(data: dict) -> Found:
    return Found(
        data["name"],
        data["type"],
        data["acronym"],
        set(data["aliases"]),
        [Mention(**m) for m in data["mentions"]],
    )
