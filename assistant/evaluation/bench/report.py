"""The bench's figures as tables: each cell is the held-out folds' figure, then the training folds'
in brackets, so that a figure that holds only where it was tuned shows at once."""

from __future__ import annotations

import math

from rich.table import Table

SUMMARY = (
    ("must_contain", "must contain"),
    ("answered_when_answerable", "answered"),
    ("abstained_when_unanswerable", "abstained"),
    ("median_length", "median chars"),
    ("verbatim_quotes", "verbatim"),
    ("page_correct", "page right"),
    ("compatibility_characters", "ﬁ ﬀ in answer"),
)


def _cell(held: float | None, train: float | None, digits: int = 3) -> str:
    def one(value: float | None) -> str:
        if value is None or math.isnan(value):
            return "–"
        return f"{value:.0f}" if digits == 0 else f"{value:.{digits}f}"

    return f"{one(held)} ({one(train)})"


def _figure(table: dict, split: str, group: str, key: str) -> float | None:
    return table.get(split, {}).get(group, {}).get(key)


def summary(results: dict) -> Table:
    setups = results["setups"]
    systems = next(iter(setups.values()))["retrieval"].keys() if setups else []
    table = Table(title="Bench: held-out folds (training folds), every setup")
    table.add_column("setup", no_wrap=True)
    table.add_column("docs (failed)")
    for system in systems:
        table.add_column(f"R@5 {system}", justify="right")
    table.add_column("MRR ssc", justify="right")
    for _, label in SUMMARY:
        table.add_column(label, justify="right")
    table.add_column("ask p95 ms", justify="right")
    for name, figures in setups.items():
        ingest = figures["ingest"]
        row = [name, f"{ingest['documents']} ({len(ingest['failed'])})"]
        for system in systems:
            ranking = figures["retrieval"][system]
            row.append(
                _cell(_figure(ranking, "held-out", "all", "R@5"), _figure(ranking, "train", "all", "R@5"))
            )
        ranking = figures["retrieval"]["ssc-assistant"]
        row.append(
            _cell(_figure(ranking, "held-out", "all", "MRR@10"), _figure(ranking, "train", "all", "MRR@10"))
        )
        answers = figures["answers"]
        for key, _ in SUMMARY:
            digits = 0 if key == "median_length" else 3
            row.append(
                _cell(_figure(answers, "held-out", "all", key), _figure(answers, "train", "all", key), digits)
            )
        row.append(f"{figures['ask_ms']['p95']:.0f}")
        table.add_row(*row)
    return table


WRITER = (
    ("must_contain", "must contain (all)"),
    ("quoted_must_contain", "quoted alone"),
    ("written_must_contain", "written alone"),
    ("written_share", "written"),
    ("faithfulness", "gate kept"),
    ("language_match", "language"),
    ("first_token_p50_s", "first token p50 s"),
    ("answer_p50_s", "answer p50 s"),
)


def writer(results: dict) -> Table | None:
    """With a language model: its answers beside the quoted answer of the same run."""
    setups = {n: f for n, f in results["setups"].items() if "faithfulness" in f["answers"]["train"]["all"]}
    if not setups:
        return None
    table = Table(title=f"Writer ({results.get('generator')}): held-out folds (training folds)")
    table.add_column("setup", no_wrap=True)
    for _, label in WRITER:
        table.add_column(label, justify="right")
    for name, figures in setups.items():
        answers = figures["answers"]
        digits = {"first_token_p50_s": 1, "answer_p50_s": 1}
        table.add_row(
            name,
            *[
                _cell(
                    _figure(answers, "held-out", "all", k),
                    _figure(answers, "train", "all", k),
                    digits.get(k, 3),
                )
                for k, _ in WRITER
            ],
        )
    return table


def breakdown(name: str, figures: dict) -> Table:
    systems = list(figures["retrieval"])
    table = Table(title=f"{name}: by group, held-out (training)")
    table.add_column("group", no_wrap=True)
    table.add_column("n", justify="right")
    for system in systems:
        table.add_column(f"R@5 {system}", justify="right")
    for key in ("must_contain", "answered_when_answerable", "abstained_when_unanswerable", "median_length"):
        table.add_column(dict(SUMMARY)[key], justify="right")
    answers = figures["answers"]
    groups = sorted({g for split in answers.values() for g in split}, key=lambda g: (g != "all", g))
    for group in groups:
        n = f"{_figure(answers, 'held-out', group, 'n') or 0} ({_figure(answers, 'train', group, 'n') or 0})"
        row = [group, n]
        for system in systems:
            ranking = figures["retrieval"][system]
            row.append(
                _cell(_figure(ranking, "held-out", group, "R@5"), _figure(ranking, "train", group, "R@5"))
            )
        for key in (
            "must_contain",
            "answered_when_answerable",
            "abstained_when_unanswerable",
            "median_length",
        ):
            digits = 0 if key == "median_length" else 3
            row.append(
                _cell(_figure(answers, "held-out", group, key), _figure(answers, "train", group, key), digits)
            )
        table.add_row(*row)
    return table


def language_matrix(name: str, figures: dict, system: str = "ssc-assistant") -> Table | None:
    """R@5 by the question's language (rows) and its documents' language (columns), held-out
    (training); None when the setup's questions all point at documents of one language."""
    ranking = figures["retrieval"][system]
    pairs = {tuple(g.split("→")) for split in ranking.values() for g in split if "→" in g}
    documents = sorted({d for _, d in pairs})
    if len(documents) < 2:
        return None
    table = Table(title=f"{name}: R@5 by question language × document language, held-out (training)")
    table.add_column("question \\ document")
    for language in documents:
        table.add_column(language, justify="right")
    for asked in sorted({q for q, _ in pairs}):
        row = [asked]
        for language in documents:
            group = f"{asked}→{language}"
            held, train = _figure(ranking, "held-out", group, "R@5"), _figure(ranking, "train", group, "R@5")
            n = _figure(ranking, "held-out", group, "n")
            row.append(f"{_cell(held, train)} n={n}" if n else _cell(held, train))
        table.add_row(*row)
    return table


def _share(pair: list[int] | None) -> str:
    if not pair or not pair[1]:
        return "–"
    return f"{pair[0] / pair[1]:.3f} ({pair[0]}/{pair[1]})"


def ingest_table(results: dict) -> Table:
    table = Table(title="Bench: ingest per setup")
    for column in (
        "setup",
        "documents",
        "failed",
        "pages",
        "chunks",
        "seconds",
        "s / page",
        "chunks with ﬁ ﬀ",
        "titled by file name",
        "table header cells",
        "OCR word recall",
    ):
        table.add_column(column)
    for name, figures in results["setups"].items():
        ingest = figures["ingest"]
        per_page = ingest["seconds"] / ingest["pages"] if ingest["pages"] else math.nan
        failed = "; ".join(f"{file}: {reason}" for file, reason in ingest["failed"]) or "–"
        table.add_row(
            name,
            str(ingest["documents"]),
            failed,
            str(ingest["pages"]),
            str(ingest["chunks"]),
            f"{ingest['seconds']:.0f}",
            f"{per_page:.2f}",
            str(ingest["chunks_with_compatibility_characters"]),
            ", ".join(ingest.get("titled_by_file_name", [])) or "–",
            _share(ingest.get("table_header_cells")),
            ", ".join(f"{lang} {_share(pair)}" for lang, pair in ingest.get("ocr_word_recall", {}).items())
            or "–",
        )
    return table
