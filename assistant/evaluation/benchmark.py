"""`ssc-assistant bench`: ingest and search speed of the product beside the tutorial baseline.

Each phase runs in a fresh process so that its peak RSS is its own. The machine is noisy: read
the figures as ratios within one run."""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from assistant.evaluation.qa import read_qa
from assistant.settings import Settings

_FALLBACK_QUERIES = [
    "Which funds finance triangular cooperation in the Caribbean?",
    "What did Brazil agree with Paraguay?",
    "¿Cuándo entrega el SELA el estudio sobre migración?",
    "Quais agências apoiam a cooperação Sul-Sul?",
]


def run_benchmark(
    settings: Settings, corpus: Path, queries_file: Path | None, rounds: int, console: Console
) -> dict:
    queries = [q.question for q in read_qa(queries_file)] if queries_file else _FALLBACK_QUERIES
    with tempfile.TemporaryDirectory(prefix="ssc-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        phase_settings = settings.model_copy(update={"data_dir": data_dir})
        steps: list[tuple[str, Callable[..., dict], tuple]] = [
            ("raw encode", _raw_encode, (phase_settings, corpus)),
            ("cold ingest", _ingest, (phase_settings, corpus)),
            ("re-ingest", _ingest, (phase_settings, corpus)),
            ("search", _search, (phase_settings, queries, rounds)),
            ("tutorial index", _tutorial, (settings, corpus, queries, rounds)),
        ]
        figures: dict[str, dict] = {}
        for name, fn, args in steps:
            console.print(f"bench: {name} …")
            figures[name] = in_fresh_process(fn, *args)
    raw, cold, again, search, tutorial = (figures[s[0]] for s in steps)
    table = {
        "chunks": (str(cold["chunks"]), str(tutorial["chunks"])),
        "model": (settings.embedding_model, "all-MiniLM-L6-v2"),
        "raw encode of the same chunks (s)": (
            f"{raw['seconds']:.1f}",
            f"{tutorial['raw_encode_seconds']:.1f}",
        ),
        "cold ingest (s)": (f"{cold['seconds']:.1f}", f"{tutorial['seconds']:.1f}"),
        "cold ingest / raw encode": (
            f"{cold['seconds'] / raw['seconds']:.2f}",
            f"{tutorial['seconds'] / tutorial['raw_encode_seconds']:.2f}",
        ),
        "cold ingest chunks/s": (
            f"{cold['chunks'] / cold['seconds']:.1f}",
            f"{tutorial['chunks'] / tutorial['seconds']:.1f}",
        ),
        "cold ingest peak RSS (MiB)": (f"{cold['peak_rss_mib']:.0f}", f"{tutorial['peak_rss_mib']:.0f}"),
        "re-ingest unchanged (s)": (f"{again['seconds']:.2f}", "full rebuild (no incremental path)"),
        "search p50 warm, k=8 (ms)": (f"{search['p50_ms']:.1f}", f"{tutorial['p50_ms']:.1f}"),
        "search p95 warm, k=8 (ms)": (f"{search['p95_ms']:.1f}", f"{tutorial['p95_ms']:.1f}"),
    }
    return {"table": table, "phases": figures, "queries": len(queries), "rounds": rounds}


def in_fresh_process(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)` in a new interpreter, so that its peak RSS and its caches are its own. Not a
    Pool: pool workers are daemons, and ingest starts child processes of its own to parse files."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_call, args=(sender, fn, args))
    child.start()
    sender.close()
    try:
        outcome, value = receiver.recv()
    except EOFError:
        raise RuntimeError(f"the benchmark phase {fn.__name__} died (exit code {child.exitcode})") from None
    finally:
        child.join()
    if outcome == "error":
        raise RuntimeError(f"the benchmark phase {fn.__name__} failed: {value}")
    return value


def _call(sender: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        sender.send(("ok", fn(*args)))
    except Exception as exc:
        sender.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _raw_encode(settings: Settings, corpus: Path) -> dict:
    """The physical limit: encoding the product's own chunk texts, nothing else."""
    from ingest.embedders import make_embedder
    from ingest.models import indexed_text
    from ingest.pipeline import discover, read_document

    texts: list[str] = []
    for path in discover([corpus]):
        record, _, chunks = read_document(path, path.stem, "0" * 64, settings.chunking)
        texts.extend([record.title, *(indexed_text(c) for c in chunks)])
    embedder = make_embedder(settings.embedding_model, settings.embedding_threads, settings.models_dir)
    started = time.perf_counter()
    for start in range(0, len(texts), settings.embedding_batch_size):
        embedder.embed_passages(texts[start : start + settings.embedding_batch_size])
    return {"seconds": time.perf_counter() - started, "chunks": len(texts)}


def _ingest(settings: Settings, corpus: Path) -> dict:
    from assistant.wiring import build

    started = time.perf_counter()
    assistant = build(settings)
    report = assistant.ingestor.ingest([corpus])
    seconds = time.perf_counter() - started
    chunks = assistant.store.chunk_count()
    assistant.close()
    return {
        "seconds": seconds,
        "chunks": chunks,
        "embedded_now": report.chunks,
        "peak_rss_mib": _peak_rss_mib(),
    }


def _latencies(search: Callable[[str], object], queries: list[str], rounds: int) -> dict:
    for query in queries[:3]:
        search(query)  # warm-up
    timings = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            search(query)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[min(len(timings) - 1, int(0.95 * len(timings)))],
        "searches": len(timings),
    }


def _search(settings: Settings, queries: list[str], rounds: int) -> dict:
    from assistant.wiring import build

    assistant = build(settings)
    try:
        return _latencies(lambda q: assistant.searcher.search(q, 8), queries, rounds)
    finally:
        assistant.close()


def _tutorial(settings: Settings, corpus: Path, queries: list[str], rounds: int) -> dict:
    from assistant.evaluation.baselines import TutorialRag, tutorial_chunks
    from ingest.embedders import MINILM, make_embedder

    embedder = make_embedder(MINILM, settings.embedding_threads)
    chunks = tutorial_chunks(corpus)
    started = time.perf_counter()
    embedder.embed_passages(chunks)
    raw = time.perf_counter() - started
    rag = TutorialRag(embedder)
    rag.index(corpus)
    figures = {
        "seconds": rag.seconds_to_index,
        "raw_encode_seconds": raw,
        "chunks": len(rag.chunks),
        "peak_rss_mib": _peak_rss_mib(),
    }
    figures.update(_latencies(lambda q: rag.search(q, 8), queries, rounds))
    return figures
