"""`ssc-assistant eval --bench`: every corpus setup through the real pipeline (ingest, search,
answer), beside the tutorial RAG and BM25 on the same files, scored per question and summed up by
group, for the training folds and the held-out folds side by side."""

from __future__ import annotations

import json
import math
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from assistant.answering.models import Answer, Writing, Written
from assistant.answering.responder import Responder
from assistant.evaluation.answers import on_page
from assistant.evaluation.bench.corpus import Setup, read_setups
from assistant.evaluation.bench.folds import document_folds, item_folds, split_of
from assistant.evaluation.bench.scoring import COMPATIBILITY, answer_figures, written_figures
from assistant.evaluation.qa import QAItem, read_qa, score_ranking
from assistant.settings import Settings
from ingest.text_analysis import content_words

SearchFn = Callable[[str, int], list[str]]
RANKING = ("R@1", "R@3", "R@5", "R@10", "MRR@10")
SPLITS = ("train", "held-out")


def run_bench(
    settings: Settings,
    build: Path,
    questions: Path,
    only: list[str],
    baselines: bool,
    say: Callable[[str], None],
) -> dict:
    setups, scanned = read_setups(build)
    chosen = [s for s in setups if not only or s.name in only]
    suites = {path.name: read_qa(path) for path in sorted(questions.glob("*.jsonl"))}
    folds = _folds(setups, questions)
    results: dict = {"generator": settings.answer.generator, "setups": {}}
    for setup in chosen:
        items = [item for name in setup.questions for item in suites[name]]
        placed = item_folds(items, folds)
        say(f"[{setup.name}] {len(items)} questions over {build / setup.folder}")
        results["setups"][setup.name] = _run_setup(
            settings, build, setup, items, placed, scanned, baselines, say
        )
    if not only or "ocr" in only:
        results["ocr"] = ocr_by_language(build, say)
    return results


def ocr_by_language(build: Path, say: Callable[[str], None]) -> dict[str, dict]:
    """language -> word recall of the loader's OCR on a scanned web document (its language found
    by OCR's own first pass, as for a file with no catalogue entry) against the text layer of the
    same document printed as a PDF, and seconds per page."""
    from assistant.evaluation.bench.scoring import pdf_page_words_list
    from ingest.loaders import pdf

    listed = build / "ocr" / "pairs.json"
    if not listed.is_file():
        return {}
    figures = {}
    for language, printed, scanned in json.loads(listed.read_text(encoding="utf-8")):
        truth = pdf_page_words_list(str(build / "ocr" / printed))
        started = time.perf_counter()
        pages = pdf.load(build / "ocr" / scanned).pages
        seconds = time.perf_counter() - started
        found, total = _words_read(truth, pages)
        say(f"[ocr] {scanned}: {found}/{total} words in {seconds:.0f} s")
        figures[language] = {
            "document": printed,
            "words": [found, total],
            "recall": found / total if total else math.nan,
            "seconds_per_page": seconds / max(1, len(pages)),
        }
    return figures


def _folds(setups: list[Setup], questions: Path) -> dict[str, int]:
    """Folds by document: the sample documents (named as the questions name them), and the web
    documents of each language."""
    samples = sorted({o for s in setups if s.name == "text" for o in s.files})
    manifest = yaml.safe_load((questions.parent / "web" / "manifest.yaml").read_text(encoding="utf-8"))
    by_language = [[e["file"] for e in manifest if e["language"] == lang] for lang in ("en", "es", "pt")]
    return document_folds([samples, *by_language])


def _run_setup(
    settings: Settings,
    build: Path,
    setup: Setup,
    items: list[QAItem],
    placed: dict[str, int],
    scanned: tuple[str, ...],
    baselines: bool,
    say: Callable[[str], None],
) -> dict:
    from assistant.wiring import build as build_assistant

    corpus = build / setup.folder
    data = _fresh_index(build, setup.name)
    assistant = build_assistant(settings.model_copy(update={"data_dir": data, "corpus_dir": corpus}))
    try:
        started = time.perf_counter()
        report = assistant.ingestor.ingest([corpus])
        seconds = time.perf_counter() - started
        documents = assistant.store.list_documents()
        paths = {d.document_id: d.path for d in documents}
        ingest = {
            "documents": len(documents),
            "failed": [[Path(k).name, reason] for k, reason in report.failed],
            "pages": sum(d.page_count for d in documents),
            "chunks": assistant.store.chunk_count(),
            "seconds": round(seconds, 1),
            "chunks_with_compatibility_characters": _compatibility_chunks(assistant),
            "titled_by_file_name": _titled_by_file_name(documents),
            "table_header_cells": _table_header_cells(build, assistant, documents),
            "ocr_word_recall": _ocr_word_recall(build, assistant, documents),
        }
        say(f"[{setup.name}] ingested {ingest['documents']} documents in {seconds:.0f} s")
        systems: dict[str, SearchFn] = {
            "ssc-assistant": lambda q, k: [p.text for p in assistant.searcher.search(q, k)]
        }
        if baselines:
            systems.update(_baselines(settings, corpus))
        rows = []
        latencies = []
        for item in items:
            row: dict = {"id": item.id, "groups": _groups(item, scanned), "split": split_of(placed[item.id])}
            if item.evidence:
                row["ranking"] = {
                    name: score_ranking(item, search(item.question, 10)) for name, search in systems.items()
                }
            asked = time.perf_counter()
            answer, kept, timing = _ask(assistant.responder, item.question)
            latencies.append((time.perf_counter() - asked) * 1000)
            verbatim = [on_page(assistant.store, c.document_id, c.page, c.quote) for c in answer.citations]
            row["answer"] = answer_figures(item, answer, paths, verbatim)
            if assistant.responder.writer is not None:
                row["answer"] |= written_figures(item, answer, kept, timing)
            rows.append(row)
    finally:
        assistant.close()
    latencies.sort()
    return {
        "ingest": ingest,
        "ask_ms": {
            "p50": statistics.median(latencies) if latencies else math.nan,
            "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else math.nan,
        },
        "retrieval": _retrieval_table(rows, list(systems)),
        "answers": _answer_table(rows),
    }


def _ask(responder: Responder, question: str) -> tuple[Answer, int, dict[str, float]]:
    """The answer, its written sentences, and with a language model the seconds from the question
    to the model's first token and to the whole answer."""
    first_token: list[float] = []
    if responder.queue is not None:
        responder.queue.observe = lambda phase, seconds: (
            first_token.append(seconds) if phase == "first_token" else None
        )
    started = time.perf_counter()
    writing = math.nan
    written = 0
    answer = None
    for event in responder.ask_stream(question):
        if isinstance(event, Writing):
            writing = time.perf_counter() - started
        elif isinstance(event, Written):
            written += 1
        elif isinstance(event, Answer):
            answer = event
    assert answer is not None
    seconds = time.perf_counter() - started
    return (
        answer,
        written,
        {"seconds": seconds, "first_token": writing + first_token[0] if first_token else math.nan},
    )


def _fresh_index(build: Path, setup: str) -> Path:
    """Each setup is indexed from scratch; embeddings are cached across setups and runs, by content."""
    root = build / "index"
    data = root / setup
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    (data / "embedding-cache.sqlite").symlink_to(root.resolve() / "embedding-cache.sqlite")
    return data


def _compatibility_chunks(assistant: object) -> int:
    store = assistant.store  # type: ignore[attr-defined]
    count = 0
    for document in store.list_documents():
        chunks = store.chunks(store.chunk_ids(document.document_id)).values()
        count += sum(1 for chunk in chunks if COMPATIBILITY.search(chunk.text))
    return count


def _titled_by_file_name(documents: list) -> list[str]:
    """Documents whose title is their file's name, as it is or made readable."""
    from ingest.titles import humanised_file_name

    named = []
    for document in documents:
        path = Path(document.path)
        if document.title.lower() in {
            path.name.lower(),
            path.stem.lower(),
            humanised_file_name(path).lower(),
        }:
            named.append(path.name)
    return named


def _table_header_cells(build: Path, assistant: object, documents: list) -> list[int]:
    """[found, total] header cells of the sample documents' tables (`bench.tables`)."""
    from assistant.evaluation.bench.tables import header_cells

    truth = json.loads((build / "tables.json").read_text(encoding="utf-8"))
    by_stem = {Path(name).stem: tables for name, tables in truth.items()}
    found = total = 0
    for document in documents:
        tables = by_stem.get(Path(document.path).stem)
        if tables:
            hit, cells = header_cells(tables, assistant.store.pages(document.document_id))  # type: ignore[attr-defined]
            found, total = found + hit, total + cells
    return [found, total]


def _ocr_word_recall(build: Path, assistant: object, documents: list) -> dict[str, list[int]]:
    """Per document language, [words found, words] of the text layer of the same PDF before it was
    scanned (`pdf-chromium`), against the text OCR read from the scan, page by page."""
    from assistant.evaluation.bench.scoring import pdf_page_words_list

    tally: dict[str, list[int]] = {}
    for document in documents:
        source = build / "pdf-chromium" / Path(document.path).name
        pages = [p for p in assistant.store.pages(document.document_id) if p.ocr]  # type: ignore[attr-defined]
        if not pages or not source.is_file():
            continue
        found, total = _words_read(pdf_page_words_list(str(source)), pages)
        counts = tally.setdefault(document.language, [0, 0])
        counts[0] += found
        counts[1] += total
    return tally


def _words_read(truth: list[list[str]], pages: list) -> tuple[int, int]:
    """(words found, words) of each page's true words (with repeats) in the text read from it."""
    from collections import Counter

    found = total = 0
    for page in pages:
        if page.number <= len(truth):
            expected = Counter(truth[page.number - 1])
            found += sum((expected & Counter(content_words(page.text))).values())
            total += sum(expected.values())
    return found, total


def _baselines(settings: Settings, corpus: Path) -> dict[str, SearchFn]:
    from assistant.evaluation.baselines import Bm25Baseline, TutorialRag
    from ingest.embedders import MINILM, make_embedder

    tutorial = TutorialRag(make_embedder(MINILM, settings.embedding_threads))
    tutorial.index(corpus)
    return {"tutorial": tutorial.search, "BM25": Bm25Baseline(tutorial.chunks).search}


def _groups(item: QAItem, scanned: tuple[str, ...]) -> list[str]:
    groups = ["all", f"type:{item.type}", f"lang:{item.lang}"]
    if item.evidence:
        groups += [f"cross-lingual:{'yes' if item.cross_lingual else 'no'}", f"{item.lang}→{item.doc_lang}"]
    if item.sources and set(item.sources) <= set(scanned):
        groups.append("on the scanned documents")
    return groups


def _retrieval_table(rows: list[dict], systems: list[str]) -> dict:
    """system -> split -> group -> {n, R@k, MRR@10}, over answerable questions."""
    table: dict = {}
    for system in systems:
        for split in SPLITS:
            grouped: dict[str, list[dict[str, float]]] = {}
            for row in rows:
                if "ranking" in row and row["split"] == split:
                    for group in row["groups"]:
                        grouped.setdefault(group, []).append(row["ranking"][system])
            table.setdefault(system, {})[split] = {
                group: {"n": len(values), **{m: sum(v[m] for v in values) / len(values) for m in RANKING}}
                for group, values in grouped.items()
            }
    return table


def _answer_table(rows: list[dict]) -> dict:
    """split -> group -> answer figures."""
    table: dict = {}
    for split in SPLITS:
        grouped: dict[str, list[dict[str, float]]] = {}
        for row in rows:
            if row["split"] == split:
                for group in row["groups"]:
                    grouped.setdefault(group, []).append(row["answer"])
        table[split] = {group: _answer_summary(values) for group, values in grouped.items()}
    return table


def _answer_summary(rows: list[dict[str, float]]) -> dict[str, float]:
    def share(numerator: str, denominator: str) -> float:
        total = sum(r[denominator] for r in rows)
        return sum(r[numerator] for r in rows) / total if total else math.nan

    answerable = sum(r["answerable"] for r in rows)
    lengths = [r["length"] for r in rows if not math.isnan(r["length"])]
    return _written_summary(rows, share) | {
        "n": len(rows),
        "must_contain": share("must_contain", "answerable"),
        "answered_when_answerable": share("answered", "answerable"),
        "abstained_when_unanswerable": (
            sum(r["abstained_right"] for r in rows) / (len(rows) - answerable)
            if len(rows) > answerable
            else math.nan
        ),
        "median_length": statistics.median(lengths) if lengths else math.nan,
        "verbatim_quotes": share("verbatim", "quotes"),
        "page_correct": share("pages_right", "pages_checked"),
        "pages_checked": sum(r["pages_checked"] for r in rows),
        "compatibility_characters": share("compatibility", "given"),
    }


def _written_summary(rows: list[dict[str, float]], share: Callable[[str, str], float]) -> dict[str, float]:
    """The language model's figures, when one wrote: must_contain of its sentences alone and of
    the quoted ones alone, the share of its sentences the gate kept, language match, timings."""
    if not rows or "written" not in rows[0]:
        return {}
    drafted = sum(r["written_kept"] + r["written_dropped"] for r in rows)
    languages = [r["written_language"] for r in rows if not math.isnan(r["written_language"])]

    def median(key: str) -> float:
        values = [r[key] for r in rows if not math.isnan(r[key])]
        return statistics.median(values) if values else math.nan

    return {
        "written_share": share("written", "given"),
        "written_must_contain": share("written_must_contain", "answerable"),
        "quoted_must_contain": share("quoted_must_contain", "answerable"),
        "faithfulness": sum(r["written_kept"] for r in rows) / drafted if drafted else math.nan,
        "language_match": sum(languages) / len(languages) if languages else math.nan,
        "first_token_p50_s": median("first_token_seconds"),
        "answer_p50_s": median("answer_seconds"),
    }
