"""The source of truth for what is ingested: documents, pages and chunks in SQLite, with an FTS5
lexical index over the chunks. A document is replaced in one transaction, so readers see either
its old version or its new one, never a mix."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.models import Chunk, DocumentRecord, Page, indexed_text
from ingest.text_analysis import fold, index_terms

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY, path TEXT UNIQUE, sha256 TEXT, title TEXT, language TEXT,
    source_format TEXT, page_count INTEGER, chunk_count INTEGER, publisher TEXT, year INTEGER,
    kind TEXT, ingested_at REAL, title_vector BLOB, ingest_version TEXT);
CREATE TABLE IF NOT EXISTS pages (
    document_id TEXT, page INTEGER, page_end INTEGER, text TEXT, label TEXT, ocr INTEGER,
    PRIMARY KEY (document_id, page));
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, document_id TEXT, ordinal INTEGER, text TEXT, page INTEGER,
    page_end INTEGER, section TEXT, kind TEXT, language TEXT, content_hash TEXT, page_label TEXT,
    ocr INTEGER);
CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (document_id, ordinal);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    terms, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
"""
# Lexical terms in more than this share of the chunks are left out of a query (see lexical_search);
# below MIN_CHUNKS_TO_PRUNE chunks nothing is left out: scoring everything is cheap there.
COMMON_SHARE = 0.1
MIN_CHUNKS_TO_PRUNE = 5000
_TOKEN = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer keeps as one token
# The FTS row of a chunk shares the chunk's rowid, so joins and deletes use the rowid index.
_FORMAT = 3  # 3: page labels and OCR flags on pages and chunks


@dataclass(frozen=True)
class Filters:
    document_ids: Sequence[str] = ()
    languages: Sequence[str] = ()
    kinds: Sequence[str] = ()
    # Entity ids from the catalogue: only passages that mention one of them (applied by search).
    entities: Sequence[str] = ()

    def _active(self) -> list[tuple[str, Sequence[str]]]:
        """(column, allowed values) for each filter that is set; the same columns in both stores."""
        pairs = (("document_id", self.document_ids), ("language", self.languages), ("kind", self.kinds))
        return [(column, values) for column, values in pairs if values]

    def sql(self, alias: str = "c") -> tuple[str, list[str]]:
        active = self._active()
        clauses = [f"{alias}.{column} IN ({_marks(len(values))})" for column, values in active]
        return (" AND ".join(clauses), [value for _, values in active for value in values])

    def chroma_where(self) -> dict | None:
        clauses: list[dict] = [{column: {"$in": list(values)}} for column, values in self._active()]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class DocumentStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            if self._db.execute("PRAGMA user_version").fetchone()[0] != _FORMAT:
                # The index is derived data: an older format is dropped and rebuilt by the next
                # ingest (cheaply: vectors come from the embedding cache).
                for table in ("chunks_fts", "chunks", "pages", "documents", "meta"):
                    self._db.execute(f"DROP TABLE IF EXISTS {table}")
                self._db.execute(f"PRAGMA user_version = {_FORMAT}")
            self._db.executescript(_SCHEMA)

    # -- metadata ---------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- writes -----------------------------------------------------------------------------
    def replace_document(
        self, record: DocumentRecord, pages: list[Page], chunks: list[Chunk], title_vector: np.ndarray
    ) -> None:
        """Swap in a document's new version atomically (one transaction)."""
        with self._lock, self._db:
            self._delete(record.document_id)
            self._db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    record.document_id,
                    record.path,
                    record.sha256,
                    record.title,
                    record.language,
                    record.source_format,
                    record.page_count,
                    record.chunk_count,
                    record.publisher,
                    record.year,
                    record.kind,
                    time.time(),
                    np.asarray(title_vector, dtype=np.float32).tobytes(),
                    record.ingest_version,
                ),
            )
            self._db.executemany(
                "INSERT INTO pages VALUES (?,?,?,?,?,?)",
                [(record.document_id, p.number, p.last, p.text, p.label, int(p.ocr)) for p in pages],
            )
            self._db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        c.chunk_id,
                        c.document_id,
                        c.ordinal,
                        c.text,
                        c.page,
                        c.page_end,
                        c.section,
                        c.kind,
                        c.language,
                        c.content_hash,
                        c.page_label,
                        int(c.ocr),
                    )
                    for c in chunks
                ],
            )
            self._db.executemany(
                "INSERT INTO chunks_fts (rowid, terms) SELECT rowid, ? FROM chunks WHERE chunk_id = ?",
                [(index_terms(indexed_text(c), c.language), c.chunk_id) for c in chunks],
            )

    def delete_document(self, document_id: str) -> None:
        with self._lock, self._db:
            self._delete(document_id)

    def _delete(self, document_id: str) -> None:
        self._db.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE document_id = ?)",
            (document_id,),
        )
        for table in ("chunks", "pages", "documents"):
            self._db.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))

    # -- reads ------------------------------------------------------------------------------
    def document_by_path(self, path: str) -> DocumentRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM documents WHERE path = ?", (path,)).fetchone()
        return _record(row) if row else None

    def get_document(self, document_id: str) -> DocumentRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM documents WHERE document_id = ?", (document_id,)).fetchone()
        return _record(row) if row else None

    def list_documents(self) -> list[DocumentRecord]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM documents ORDER BY document_id").fetchall()
        return [_record(r) for r in rows]

    def pages(self, document_id: str) -> list[Page]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM pages WHERE document_id = ? ORDER BY page", (document_id,)
            ).fetchall()
        return [_page(r) for r in rows]

    def page(self, document_id: str, number: int) -> Page | None:
        """The stored page holding printed/physical page `number` (a range when markers were sparse)."""
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM pages WHERE document_id = ? AND page <= ? AND page_end >= ? "
                "ORDER BY page LIMIT 1",
                (document_id, number, number),
            ).fetchone()
        return _page(row) if row is not None else None

    def titles(self, document_ids: Iterable[str]) -> dict[str, tuple[str, np.ndarray]]:
        """Each document's title and its embedding, in one read (search needs both per query)."""
        ids = list(document_ids)
        with self._lock:
            rows = self._db.execute(
                "SELECT document_id, title, title_vector FROM documents "
                f"WHERE document_id IN ({_marks(len(ids))})",
                ids,
            ).fetchall()
        return {
            r["document_id"]: (r["title"], np.frombuffer(r["title_vector"], dtype=np.float32)) for r in rows
        }

    def stems(self, chunk_ids: list[str]) -> dict[str, set[str]]:
        """The stems the lexical index holds for each chunk (no re-stemming at query time)."""
        found: dict[str, set[str]] = {}
        with self._lock:
            for start in range(0, len(chunk_ids), 500):
                batch = chunk_ids[start : start + 500]
                rows = self._db.execute(
                    "SELECT c.chunk_id AS chunk_id, f.terms AS terms FROM chunks c "
                    f"JOIN chunks_fts f ON f.rowid = c.rowid WHERE c.chunk_id IN ({_marks(len(batch))})",
                    batch,
                ).fetchall()
                found.update({r["chunk_id"]: set(r["terms"].split()) for r in rows})
        return found

    def chunk_ids(self, document_id: str) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT chunk_id FROM chunks WHERE document_id = ?", (document_id,)
            ).fetchall()
        return [r["chunk_id"] for r in rows]

    def chunks(self, chunk_ids: Iterable[str]) -> dict[str, Chunk]:
        ids = list(chunk_ids)
        found: dict[str, Chunk] = {}
        with self._lock:
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                rows = self._db.execute(
                    f"SELECT * FROM chunks WHERE chunk_id IN ({_marks(len(batch))})", batch
                ).fetchall()
                found.update({r["chunk_id"]: _chunk(r) for r in rows})
        return found

    def neighbours(self, chunk: Chunk, before: int = 1, after: int = 1) -> list[Chunk]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM chunks WHERE document_id = ? AND ordinal BETWEEN ? AND ? ORDER BY ordinal",
                (chunk.document_id, chunk.ordinal - before, chunk.ordinal + after),
            ).fetchall()
        return [_chunk(r) for r in rows]

    def chunk_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def chunk_ids_by_language(self, per_language: int) -> dict[str, tuple[int, list[str]]]:
        """language -> (chunk count, up to `per_language` of its chunk ids): a fixed sample (by
        content hash), so that statistics drawn from it do not change from one call to the next."""
        with self._lock:
            rows = self._db.execute(
                "SELECT language, chunk_id, n FROM ("
                " SELECT language, chunk_id, COUNT(*) OVER (PARTITION BY language) AS n,"
                " ROW_NUMBER() OVER (PARTITION BY language ORDER BY content_hash, chunk_id) AS r"
                " FROM chunks) WHERE r <= ?",
                (per_language,),
            ).fetchall()
        found: dict[str, tuple[int, list[str]]] = {}
        for row in rows:
            found.setdefault(row["language"], (int(row["n"]), []))[1].append(row["chunk_id"])
        return found

    def lexical_search(self, terms: list[str], k: int, filters: Filters) -> list[tuple[str, float]]:
        """BM25 over the FTS5 index; returns (chunk_id, score) with higher = better.

        Scoring visits every row that matches any term, so on a large index words found in more
        than `COMMON_SHARE` of the chunks are left out: their BM25 weight is small, and there
        ("cooperation" in two chunks of three) they would make each query scan most of it.
        The FTS table is ranked alone and only the best rows are joined to their chunks."""
        terms = self._distinctive(terms)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
        where, params = filters.sql()
        if where:
            sql = (
                "SELECT c.chunk_id AS chunk_id, bm25(chunks_fts) AS score FROM chunks_fts "
                f"JOIN chunks c ON c.rowid = chunks_fts.rowid WHERE chunks_fts MATCH ? AND {where} "
                "ORDER BY score LIMIT ?"
            )
        else:
            sql = (
                "SELECT c.chunk_id AS chunk_id, f.score AS score FROM ("
                "SELECT rowid, bm25(chunks_fts) AS score FROM chunks_fts WHERE chunks_fts MATCH ? "
                "ORDER BY score LIMIT ?) f "
                "JOIN chunks c ON c.rowid = f.rowid ORDER BY f.score"
            )
        with self._lock:
            rows = self._db.execute(sql, [match, *params, k] if where else [match, k]).fetchall()
        return [(r["chunk_id"], -float(r["score"])) for r in rows]

    def _distinctive(self, terms: list[str]) -> list[str]:
        """On a large index, the query's single words (as the tokenizer cuts them: "ibero-american"
        is two, and a phrase would have to walk both words' positions) found in at most
        `COMMON_SHARE` of the chunks; if every word is common, the two rarest, so that a query of
        common words still finds something. On a small index the terms as given: scoring every
        match is cheap there."""
        if not terms:
            return []
        with self._lock:
            total = self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        if total < MIN_CHUNKS_TO_PRUNE:
            return terms
        tokens = list(dict.fromkeys(t for term in terms for t in _TOKEN.findall(fold(term)) if len(t) > 1))
        if not tokens:
            return []
        with self._lock:
            counts = dict(
                self._db.execute(
                    f"SELECT term, doc FROM chunks_vocab WHERE term IN ({_marks(len(tokens))})", tokens
                ).fetchall()
            )
        present = [t for t in tokens if counts.get(t)]
        kept = [t for t in present if counts[t] <= COMMON_SHARE * total]
        return kept or sorted(present, key=counts.__getitem__)[:2]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _marks(count: int) -> str:
    """SQL placeholders for an IN (...) list."""
    return ",".join("?" * count)


def _record(row: sqlite3.Row) -> DocumentRecord:
    return DocumentRecord(
        document_id=row["document_id"],
        path=row["path"],
        sha256=row["sha256"],
        ingest_version=row["ingest_version"] or "",
        title=row["title"],
        language=row["language"],
        source_format=row["source_format"],
        page_count=row["page_count"],
        chunk_count=row["chunk_count"],
        publisher=row["publisher"],
        year=row["year"],
        kind=row["kind"],
    )


def _page(row: sqlite3.Row) -> Page:
    end = row["page_end"] if row["page_end"] != row["page"] else None
    return Page(row["page"], row["text"], end, ocr=bool(row["ocr"]), label=row["label"])


def _chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        chunk_id=row["chunk_id"],
        document_id=row["document_id"],
        ordinal=row["ordinal"],
        text=row["text"],
        page=row["page"],
        page_end=row["page_end"],
        section=row["section"],
        kind=row["kind"],
        language=row["language"],
        page_label=row["page_label"],
        ocr=bool(row["ocr"]),
    )
