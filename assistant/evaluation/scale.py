"""`ssc-assistant bench --scale`: how ingest and query cost grow from a thousand chunks to a
hundred thousand, embedded store and Chroma server side by side.

Corpora are synthesised from the sample corpus's real text: each synthetic chunk joins sentences of
two real chunks, so it reads like the corpus and its words hit the lexical index like real ones.
Embedding a hundred thousand chunks with the multilingual model would take most of a day on two
cores, so only the end-to-end phase embeds (parse, chunk, embed, store, on real files); the
store-and-query phases give each synthetic chunk a vector derived from its two sources' real
embeddings (their sum plus a little noise). The report says which figure is which. Every phase runs
in a fresh process, so that its peak RSS is its own."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from assistant.evaluation.benchmark import _latencies, _peak_rss_mib, in_fresh_process
from assistant.settings import Settings, StoreSettings

_SENTENCE = re.compile(r"(?<=[.;:!?])\s+")
DOCUMENT_CHUNKS = 50  # chunks per synthetic document


@dataclass(frozen=True)
class Source:
    """A real chunk of the sample corpus: its sentences, section and real embedding."""

    sentences: list[str]
    section: str
    language: str
    vector: np.ndarray


def run_scale(
    settings: Settings,
    corpus: Path,
    queries: list[str],
    sizes: list[int],
    end_to_end_chunks: int,
    server: bool,
    console: Console,
    keep: Path | None = None,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ssc-scale-") as tmp:
        work = keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        console.print(
            "scale: embedding the sample corpus once (the real vectors synthetic ones derive from) …"
        )
        in_fresh_process(_embed_sources, settings, corpus, work / "sources.npz")
        console.print(f"scale: end-to-end ingest of {end_to_end_chunks} synthetic chunks …")
        end_to_end = in_fresh_process(_end_to_end, settings, work, end_to_end_chunks)
        rows = []
        modes = ["embedded", "server"] if server else ["embedded"]
        for mode in modes:
            with _chroma_server(work / "chroma-server") if mode == "server" else _nothing() as url:
                for size in sizes:
                    console.print(f"scale: {size} chunks, {mode} Chroma, store and query …")
                    store = (
                        StoreSettings(chroma_url=url, collection=f"scale_{size}") if url else StoreSettings()
                    )
                    phase = settings.model_copy(update={"data_dir": work / f"{mode}-{size}", "store": store})
                    row = in_fresh_process(_store_and_query, phase, work / "sources.npz", size, queries)
                    rows.append({"mode": mode, **row})
    return {"end_to_end": end_to_end, "store_and_query": rows, "queries": len(queries)}


def _embed_sources(settings: Settings, corpus: Path, target: Path) -> None:
    """Through the data directory's embedding cache: after `make run`, nothing is re-embedded."""
    from ingest.embedders import make_embedder
    from ingest.embedding_cache import EmbeddingCache
    from ingest.models import Chunk, indexed_text
    from ingest.pipeline import discover, read_document

    chunks: list[Chunk] = []
    for path in discover([corpus]):
        _, _, found = read_document(path, path.stem, "0" * 64, settings.chunking)
        chunks.extend(c for c in found if c.kind == "text")
    embedder = make_embedder(settings.embedding_model, settings.embedding_threads, settings.models_dir)
    cache = EmbeddingCache(settings.embedding_cache_path)
    try:
        vectors, _ = cache.embed(embedder, [indexed_text(c) for c in chunks], settings.embedding_batch_size)
    finally:
        cache.close()
    np.savez(
        target,
        vectors=vectors,
        texts=np.array([c.text for c in chunks], dtype=object),
        sections=np.array([c.section for c in chunks], dtype=object),
        languages=np.array([c.language for c in chunks], dtype=object),
    )


def _sources(path: Path) -> list[Source]:
    data = np.load(path, allow_pickle=True)
    return [
        Source([s for s in _SENTENCE.split(text) if s.strip()], section, language, vector)
        for text, section, language, vector in zip(
            data["texts"], data["sections"], data["languages"], data["vectors"], strict=True
        )
    ]


def _synthetic(
    sources: list[Source], count: int, seed: int = 7
) -> Iterator[tuple[str, str, str, np.ndarray]]:
    """(text, section, language, derived vector) for `count` chunks joined from two real ones."""
    chooser = random.Random(seed)
    noise = np.random.default_rng(seed)
    for _ in range(count):
        first, second = chooser.sample(sources, 2)
        half = max(1, len(first.sentences) // 2)
        text = " ".join(first.sentences[:half] + second.sentences[len(second.sentences) // 2 :])
        vector = first.vector + second.vector + noise.normal(0, 0.02, first.vector.shape)
        yield text, first.section, first.language, (vector / np.linalg.norm(vector)).astype(np.float32)


def _end_to_end(settings: Settings, work: Path, chunks: int) -> dict[str, Any]:
    """Real files through the real pipeline, beside the raw encode of the same texts."""
    from assistant.wiring import build
    from ingest.embedders import make_embedder
    from ingest.models import indexed_text

    corpus = work / "end-to-end-corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    made = list(_synthetic(_sources(work / "sources.npz"), chunks, seed=11))
    for number in range(0, len(made), DOCUMENT_CHUNKS):
        sections = [
            f"## {section or 'Section'} ({i})\n\n{text}"
            for i, (text, section, _, _) in enumerate(made[number : number + DOCUMENT_CHUNKS])
        ]
        (corpus / f"report-{number // DOCUMENT_CHUNKS:04d}.md").write_text(
            f"# Synthetic report {number // DOCUMENT_CHUNKS}\n\n" + "\n\n".join(sections), encoding="utf-8"
        )
    data = work / "end-to-end-data"
    shutil.rmtree(data, ignore_errors=True)
    assistant = build(settings.model_copy(update={"data_dir": data}))
    started = time.perf_counter()
    report = assistant.ingestor.ingest([corpus])
    seconds = time.perf_counter() - started
    stored = assistant.store.chunk_count()
    ids = [
        i
        for record in assistant.store.list_documents()
        for i in assistant.store.chunk_ids(record.document_id)
    ]
    texts = [indexed_text(c) for c in assistant.store.chunks(ids).values()]
    assistant.close()
    embedder = make_embedder(settings.embedding_model, settings.embedding_threads, settings.models_dir)
    sample = texts[: min(len(texts), 200)]
    encode_started = time.perf_counter()
    for start in range(0, len(sample), settings.embedding_batch_size):
        embedder.embed_passages(sample[start : start + settings.embedding_batch_size])
    encode_rate = len(sample) / (time.perf_counter() - encode_started)
    rate = stored / seconds
    return {
        "chunks": stored,
        "files": len(report.added),
        "seconds": round(seconds, 1),
        "chunks_per_second": round(rate, 2),
        "raw_encode_chunks_per_second": round(encode_rate, 2),
        "share_of_raw_encode": round(rate / encode_rate, 3),
        "peak_rss_mib": round(_peak_rss_mib()),
        "failed": len(report.failed),
    }


def _store_and_query(settings: Settings, sources_file: Path, size: int, queries: list[str]) -> dict[str, Any]:
    from assistant.wiring import build
    from ingest.models import Chunk, DocumentRecord, Page

    sources = _sources(sources_file)
    assistant = build(settings)
    started = time.perf_counter()
    made = list(_synthetic(sources, size))
    for number in range(0, size, DOCUMENT_CHUNKS):
        document_id = f"synthetic-{number // DOCUMENT_CHUNKS:05d}"
        batch = made[number : number + DOCUMENT_CHUNKS]
        chunks = [
            Chunk(f"{document_id}:0:{i:05d}", document_id, i, text, i + 1, i + 1, section, "text", language)
            for i, (text, section, language, _) in enumerate(batch)
        ]
        pages = [Page(c.page, c.text) for c in chunks]
        record = DocumentRecord(
            document_id,
            f"/synthetic/{document_id}.md",
            "0" * 64,
            f"Synthetic report {document_id}",
            chunks[0].language,
            "markdown",
            len(pages),
            len(chunks),
        )
        assistant.vectors.upsert(chunks, np.stack([v for *_, v in batch]))
        assistant.store.replace_document(record, pages, chunks, batch[0][3])
    store_seconds = time.perf_counter() - started
    search = _latencies(lambda q: assistant.searcher.search(q, 8), queries, rounds=3)
    ask = _latencies(lambda q: assistant.responder.ask(q), queries[:20], rounds=1)
    figures = {
        "chunks": assistant.store.chunk_count(),
        "store_chunks_per_second": round(size / store_seconds, 1),
        "search_p50_ms": round(search["p50_ms"], 1),
        "search_p95_ms": round(search["p95_ms"], 1),
        "ask_p50_ms": round(ask["p50_ms"], 1),
        "ask_p95_ms": round(ask["p95_ms"], 1),
        "peak_rss_mib": round(_peak_rss_mib()),
        "disk_mib": round(_size(settings.data_dir) / 2**20, 1),
        "lexical_index_mib": round(settings.index_path.stat().st_size / 2**20, 1),
    }
    assistant.close()
    return figures


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


@contextmanager
def _chroma_server(path: Path) -> Iterator[str]:
    """A `chroma run` server on loopback for the server-mode rows."""
    import socket
    import sys

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    executable = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    server = subprocess.Popen(
        [executable, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.time() > deadline:
                raise RuntimeError("the chroma server did not answer within 60 s")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(30)


def plot(result: dict[str, Any], target: Path) -> bool:
    """Search and ask latency against corpus size, log-log; False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axis = plt.subplots(figsize=(7, 4.5), dpi=120)
    for mode in sorted({row["mode"] for row in result["store_and_query"]}):
        rows = sorted((r for r in result["store_and_query"] if r["mode"] == mode), key=lambda r: r["chunks"])
        sizes = [r["chunks"] for r in rows]
        for measure, style in (("search_p95_ms", "-o"), ("search_p50_ms", "--o"), ("ask_p95_ms", "-s")):
            axis.plot(sizes, [r[measure] for r in rows], style, label=f"{measure.replace('_', ' ')} ({mode})")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("chunks in the index")
    axis.set_ylabel("latency, warm (ms)")
    axis.set_title("ssc-assistant: latency against corpus size (2 CPU cores)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(target)
    plt.close(figure)
    return True


def growth(result: dict[str, Any]) -> dict[str, float]:
    """Search p95 at the largest size over its value at the smallest, per mode."""
    ratios = {}
    for mode in {row["mode"] for row in result["store_and_query"]}:
        rows = sorted((r for r in result["store_and_query"] if r["mode"] == mode), key=lambda r: r["chunks"])
        if len(rows) > 1:
            ratios[mode] = round(rows[-1]["search_p95_ms"] / rows[0]["search_p95_ms"], 2)
    return ratios
