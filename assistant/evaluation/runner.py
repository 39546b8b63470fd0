"""`ssc-assistant eval`: run QA files through the real pipeline (and baselines) in one run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from assistant.errors import IngestError
from assistant.evaluation.qa import QAItem, read_qa, score_ranking
from assistant.settings import Settings
from ingest.language import question_language
from ingest.pipeline import slugify

SearchFn = Callable[[str, int], list[str]]
AnswerScorer = Callable[[list[QAItem], bool], dict[str, dict]]
METRICS = ("R@1", "R@3", "R@5", "R@10", "MRR@10")


def run_eval(
    settings: Settings,
    qa_files: list[Path],
    corpus: Path,
    baseline: bool,
    compare_models: list[str],
    console: Console,
    answers: bool = False,
    compare_lists: bool = False,
) -> dict:
    suites = {path.name: read_qa(path) for path in qa_files}
    systems: dict[str, SearchFn] = {}
    closers: list[Callable[[], None]] = []
    # The product's own index serves the product's corpus; any other corpus or model gets an index of
    # its own, so that an eval never adds documents to what `serve` answers from.
    own_corpus = corpus.resolve() == settings.corpus_dir.resolve()
    for model in [settings.embedding_model, *compare_models]:
        label = "ssc-assistant" if model == settings.embedding_model else f"ssc[{model}]"
        if model == settings.embedding_model and own_corpus:
            data_dir = settings.data_dir
        else:
            data_dir = settings.data_dir / "eval" / f"{slugify(corpus.resolve().name)}-{slugify(model)}"
        console.print(f"indexing {corpus} for {label} in {data_dir} …")
        search, answer_scoring, close = _product(
            settings.model_copy(update={"data_dir": data_dir, "embedding_model": model}), corpus
        )
        systems[label] = search
        closers.append(close)
        if label == "ssc-assistant":
            answer_scorer = answer_scoring  # answers are scored for the configured model only
    if baseline:
        from assistant.evaluation.baselines import Bm25Baseline, TutorialRag
        from ingest.embedders import MINILM, make_embedder

        console.print("indexing the tutorial baseline (1000/200 splitter, all-MiniLM-L6-v2, Chroma) …")
        tutorial = TutorialRag(make_embedder(MINILM, settings.embedding_threads))
        tutorial.index(corpus)
        systems["tutorial"] = tutorial.search
        systems["BM25"] = Bm25Baseline(tutorial.chunks).search
    results: dict = {"corpus": str(corpus), "files": {}}
    try:
        for name, items in suites.items():
            results["files"][name] = {system: _score(search, items) for system, search in systems.items()}
        if answers:
            results["generator"] = settings.answer.generator
            results["answers"] = {name: answer_scorer(items, True) for name, items in suites.items()}
            if compare_lists:  # before/after for catalogue lists, in the same run
                results["answers without catalogue lists"] = {
                    name: answer_scorer(items, False) for name, items in suites.items()
                }
    finally:
        for close in closers:
            close()
    return results


def _product(settings: Settings, corpus: Path) -> tuple[SearchFn, AnswerScorer, Callable[[], None]]:
    from assistant.evaluation.answers import score_answers
    from assistant.wiring import build

    assistant = build(settings)
    report = assistant.ingestor.ingest([corpus])
    if report.failed:
        assistant.close()
        raise IngestError(f"the eval corpus did not ingest cleanly: {report.failed}")

    def search(question: str, k: int) -> list[str]:
        return [p.text for p in assistant.searcher.search(question, k)]

    def answer_scoring(items: list[QAItem], catalogue_lists: bool) -> dict[str, dict]:
        responder = replace(assistant.responder, catalogue_lists=catalogue_lists)
        return score_answers(responder, assistant.store, items)

    return search, answer_scoring, assistant.close


def _score(search: SearchFn, items: list[QAItem]) -> dict[str, dict]:
    """Figures overall, per question type and per question language, over the questions that have
    evidence (unanswerable ones have none)."""
    per_item: list[tuple[str, str, dict[str, float]]] = []
    for item in items:
        if not item.evidence:
            continue
        language = f"lang:{question_language(item.question)}"
        per_item.append((item.type, language, score_ranking(item, search(item.question, 10))))
    groups: dict[str, list[dict[str, float]]] = {"all": [f for _, _, f in per_item]}
    for kind, _, figures in per_item:
        groups.setdefault(kind, []).append(figures)
    for _, language, figures in sorted(per_item, key=lambda row: row[1]):
        groups.setdefault(language, []).append(figures)
    return {
        group: {"n": len(rows), **{m: sum(r[m] for r in rows) / len(rows) if rows else 0.0 for m in METRICS}}
        for group, rows in groups.items()
    }
