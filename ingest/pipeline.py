"""Ingest files into the document store and Chroma: incremental, atomic per document, never stopped
by one bad file.

Order of writes for a document: new chunk vectors are upserted into Chroma under new ids, then the
document store swaps the document's version in one transaction, then stale vectors are deleted.
Search joins Chroma hits against the document store, so a crash at any point leaves a consistent
view, and the next ingest finishes the job."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.errors import AssistantError, IngestError
from assistant.settings import ChunkingSettings
from ingest.catalogue import CATALOGUE_NAME, entry_for
from ingest.chunking import chunk_blocks
from ingest.document_store import DocumentStore
from ingest.embedders import Embedder
from ingest.embedding_cache import EmbeddingCache
from ingest.entities.store import EntityStore
from ingest.language import detect_language
from ingest.loaders import SUPPORTED_SUFFIXES, load_file
from ingest.loaders.sandbox import ParseLimits, load_isolated
from ingest.models import Chunk, DocumentRecord, Page, indexed_text
from ingest.structure import parse_blocks
from ingest.titles import first_line, humanised_file_name
from ingest.vector_store import ChromaStore

log = logging.getLogger(__name__)

# The modules whose code decides what a file turns into: when any of them changes, every file is
# re-processed on the next ingest (cheaply: unchanged chunk texts come from the embedding cache).
_SHAPING_MODULES = (
    "ingest.loaders.text",
    "ingest.loaders.pdf",
    "ingest.loaders.docx",
    "ingest.cleaning",
    "ingest.structure",
    "ingest.chunking",
    "ingest.language",
    "ingest.text_analysis",
)


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    digest = hashlib.sha256()
    for name in _SHAPING_MODULES:
        spec = importlib.util.find_spec(name)
        if spec and spec.origin:
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:12]


# (event, amount): "files" total, "file" done, "chunks" embedded, "ocr_pages" total, "ocr_page" done
Progress = Callable[[str, int], None]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0


@dataclass
class Ingestor:
    store: DocumentStore
    vectors: ChromaStore
    embedder: Embedder
    cache: EmbeddingCache
    chunking: ChunkingSettings
    batch_size: int = 16
    entities: EntityStore | None = None
    limits: ParseLimits | None = None  # None: parse in this process, without limits (trusted files)

    @property
    def version(self) -> str:
        """What, besides a file's bytes, decides its chunks: a change re-processes every file (cheaply:
        unchanged chunk texts come from the embedding cache)."""
        settings = self.chunking.model_dump_json()
        return hashlib.sha256(f"{pipeline_version()}:{settings}:{self.embedder.name}".encode()).hexdigest()[
            :12
        ]

    def version_for(self, path: Path) -> str:
        """The pipeline version plus the file's catalogue entry: editing a title re-processes the file."""
        return hashlib.sha256(f"{self.version}:{entry_for(path)}".encode()).hexdigest()[:12]

    def ingest(
        self, paths: Iterable[Path], prune: bool = False, progress: Progress | None = None
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        paths = [Path(p) for p in paths]
        files = discover(paths)
        notify = progress or (lambda event, amount: None)
        notify("files", len(files))
        for path in files:
            self._ingest_file(path, report, notify)
            notify("file", 1)
        self._remove_missing(paths, prune, report)
        if self.entities is not None:
            self.entities.sync(self.store)
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_file(self, path: Path, report: IngestReport, notify: Progress) -> None:
        key = str(path.resolve())
        new_ids: list[str] = []
        try:
            if self.limits and path.stat().st_size > self.limits.max_file_mib * 2**20:
                raise IngestError(f"file over the {self.limits.max_file_mib} MiB limit")
            raw = path.read_bytes()
            sha = hashlib.sha256(raw).hexdigest()
            existing = self.store.document_by_path(key)
            version = self.version_for(path)
            if existing and existing.sha256 == sha and existing.ingest_version == version:
                self._sweep_orphans(existing.document_id)
                report.skipped.append(key)
                return
            document_id = existing.document_id if existing else self._new_document_id(path, key)
            record, pages, chunks = read_document(
                path, document_id, sha, self.chunking, version, self.limits, _ocr_progress(notify)
            )
            new_ids = [c.chunk_id for c in chunks]
            vectors, embedded = self._embed([indexed_text(c) for c in chunks], notify)
            title_vectors, _ = self._embed([record.title], notify)
            self.vectors.upsert(chunks, vectors)
            old_ids = set(self.store.chunk_ids(record.document_id))
            self.store.replace_document(record, pages, chunks, title_vectors[0])
            self.vectors.delete(sorted(old_ids - set(new_ids)))
            self._sweep_orphans(record.document_id)  # vectors of versions the store never knew
            (report.updated if existing else report.added).append(key)
            report.chunks += len(chunks)
            report.embedded += embedded
        except AssistantError as exc:
            report.failed.append((key, str(exc)))
            self._discard(new_ids)
        except Exception as exc:  # a hostile file must never stop the batch
            log.exception("unexpected failure while ingesting %s", key)
            report.failed.append((key, f"unexpected error: {type(exc).__name__}: {str(exc)[:200]}"))
            self._discard(new_ids)

    def _embed(self, texts: list[str], notify: Progress) -> tuple[np.ndarray, int]:
        return self.cache.embed(self.embedder, texts, self.batch_size, lambda n: notify("chunks", n))

    def _new_document_id(self, path: Path, key: str) -> str:
        base = slugify(path.stem) or "document"
        holder = self.store.get_document(base)
        if holder is None or holder.path == key:
            return base
        return f"{base}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"

    def _discard(self, chunk_ids: list[str]) -> None:
        live = set(self.store.chunks(chunk_ids))
        try:
            self.vectors.delete([i for i in chunk_ids if i not in live])
        except Exception:  # best effort: orphans are swept on the next ingest
            log.warning("could not discard %d vectors; they will be swept later", len(chunk_ids))

    def _sweep_orphans(self, document_id: str) -> None:
        """Remove vectors left by an interrupted ingest (present in Chroma, absent from the store)."""
        live = set(self.store.chunk_ids(document_id))
        orphans = [i for i in self.vectors.ids_for_document(document_id) if i not in live]
        if orphans:
            self.vectors.delete(orphans)

    def _remove_missing(self, roots: list[Path], prune: bool, report: IngestReport) -> None:
        """Documents whose file vanished from an ingested folder (or anywhere, with prune) go away."""
        folders = [str(p.resolve()) for p in roots if p.is_dir()]
        for record in self.store.list_documents():
            if Path(record.path).exists():
                continue
            inside = any(record.path.startswith(folder.rstrip("/") + "/") for folder in folders)
            if prune or inside:
                try:
                    self.remove(record.document_id)
                    report.removed.append(record.path)
                except AssistantError as exc:
                    report.failed.append((record.path, f"could not remove: {exc}"))

    def remove(self, document_id: str) -> None:
        """Vectors go first: if that fails the document is still listed, and removal can be retried."""
        ids = self.store.chunk_ids(document_id)
        self.vectors.delete(ids)
        self.store.delete_document(document_id)
        if self.entities is not None:
            self.entities.sync(self.store)


def _ocr_progress(notify: Progress) -> Callable[[int, int], None]:
    """OCR pages as progress events: the total before the first page, then one per page read."""

    def report(done: int, total: int) -> None:
        notify("ocr_pages", total) if done == 0 else notify("ocr_page", 1)

    return report


def read_document(
    path: Path,
    document_id: str,
    sha: str,
    chunking: ChunkingSettings,
    ingest_version: str = "",
    limits: ParseLimits | None = None,
    ocr_progress: Callable[[int, int], None] | None = None,
) -> tuple[DocumentRecord, list[Page], list[Chunk]]:
    """Load, structure and chunk one file; raises IngestError with a one-line reason."""
    entry = entry_for(path)
    if limits:
        loaded = load_isolated(path, limits, entry.language, ocr_progress)
    else:
        loaded = load_file(path, language=entry.language, progress=ocr_progress)
    blocks = parse_blocks(loaded.pages)
    drafts = chunk_blocks(blocks, chunking)
    if not drafts:
        raise IngestError("no text to index after cleaning")
    language = entry.language or detect_language("\n".join(p.text for p in loaded.pages))
    version = hashlib.sha256(f"{sha}:{ingest_version}".encode()).hexdigest()[:10]
    labels = {p.number: p.label for p in loaded.pages if p.label}
    read_by_ocr = {n for p in loaded.pages if p.ocr for n in range(p.number, p.last + 1)}
    chunks = [
        Chunk(
            chunk_id=f"{document_id}:{version}:{i:05d}",
            document_id=document_id,
            ordinal=i,
            text=d.text,
            page=d.page,
            page_end=d.page_end,
            section=d.section,
            kind=d.kind,
            language=detect_language(d.text, default=language) if d.kind == "text" else language,
            page_label=labels.get(d.page),
            ocr=any(n in read_by_ocr for n in range(d.page, d.page_end + 1)),
        )
        for i, d in enumerate(drafts)
    ]
    headings = [b.text for b in blocks if b.kind == "heading"]
    title = (
        entry.title
        or loaded.title
        or (headings[0] if headings else None)
        or first_line(loaded.pages[0].text)
        or humanised_file_name(path)
    )
    record = DocumentRecord(
        document_id=document_id,
        path=str(path.resolve()),
        sha256=sha,
        title=title,
        language=language,
        source_format=loaded.source_format,
        page_count=max(p.last for p in loaded.pages),
        chunk_count=len(chunks),
        publisher=entry.publisher,
        year=entry.year or loaded.year,
        kind=entry.kind,
        ingest_version=ingest_version,
    )
    return record, loaded.pages, chunks


def discover(paths: list[Path]) -> list[Path]:
    """Files to ingest, in a stable order; folders are walked, hidden files and the catalogue skipped."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and child.suffix.lower() in SUPPORTED_SUFFIXES
                    and child.name != CATALOGUE_NAME
                    and not any(part.startswith(".") for part in child.relative_to(path).parts)
                ):
                    found.setdefault(child, None)
        else:
            found.setdefault(path, None)
    return list(found)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]
