"""`make bench-corpus`: build every corpus setup of the bench from files in the repository.

- text: the product's sample corpus as it is (text files and their catalogue);
- pdf-chromium, pdf-columns: the five sample documents as PDFs from two producers, no catalogue;
- scanned: two of them as image-only scans, beside the other three as Chromium PDFs;
- mixed: the Chromium PDFs with the three-language web documents of eval/bench/web;
- ocr: one Spanish and one Portuguese web document printed by Chromium and scanned, for OCR word
  recall by language (the scanned setup's documents are English).

Nothing large is committed: the PDFs are made here, at build time, deterministically but for the
dates a browser prints."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from assistant.evaluation.bench import columns_pdf, html_pdf, scans
from assistant.evaluation.bench.seed_blocks import read_blocks

# The two smallest sample documents are scanned, to keep OCR in an eval run to a few minutes.
SCANNED = ("003_a8faacb331889bb2.txt", "000_cebb73083a3cf8a6.txt")
OCR_LANGUAGES = ("es", "pt")  # the first web document of each, by name, is printed and scanned
SAMPLE_QUESTIONS = "samples.jsonl"
WEB_QUESTIONS = "web.jsonl"


@dataclass(frozen=True)
class Setup:
    name: str
    folder: str  # relative to the build folder
    questions: tuple[str, ...]  # files in eval/bench/questions
    files: dict[str, str]  # a question's `source` name -> the file name in this setup


def build(corpus: Path, bench: Path, out: Path, log: object = print) -> list[Setup]:
    """Write every setup under `out` and describe them in `out/setups.json`."""
    say = log if callable(log) else print
    catalogue = yaml.safe_load((corpus / "catalogue.yaml").read_text(encoding="utf-8"))["documents"]
    samples = {entry["original_file"]: name for name, entry in catalogue.items()}
    out.mkdir(parents=True, exist_ok=True)
    setups: list[Setup] = []

    text = _fresh(out / "text")
    for name in [*samples.values(), "catalogue.yaml"]:
        shutil.copy2(corpus / name, text / name)
    setups.append(Setup("text", "text", (SAMPLE_QUESTIONS,), {o: n for o, n in samples.items()}))

    chromium, columns = _fresh(out / "pdf-chromium"), _fresh(out / "pdf-columns")
    tables: dict[str, list[list[list[str]]]] = {}
    pdf_names = {original: Path(name).stem + ".pdf" for original, name in samples.items()}
    for original, name in samples.items():
        entry = catalogue[name]
        blocks = read_blocks((corpus / name).read_text(encoding="utf-8"))
        tables[pdf_names[original]] = [b.rows for b in blocks if b.kind == "table"]
        say(f"printing {name} with Chromium …")
        html_pdf.print_to_pdf(
            html_pdf.to_html(blocks, entry["language"]), Path(name).stem, chromium / pdf_names[original]
        )
        say(f"typesetting {name} in two columns …")
        running = f"{entry['publisher'].split(',')[0]} · {entry['year']}"
        columns_pdf.render(
            blocks,
            " ".join(entry["title"].split()),
            running,
            entry["language"],
            columns / pdf_names[original],
        )
    setups.append(Setup("pdf-chromium", "pdf-chromium", (SAMPLE_QUESTIONS,), pdf_names))
    setups.append(Setup("pdf-columns", "pdf-columns", (SAMPLE_QUESTIONS,), pdf_names))

    scanned = _fresh(out / "scanned")
    for original, pdf in pdf_names.items():
        if original in SCANNED:
            say(f"scanning {pdf} …")
            scans.scan(chromium / pdf, scanned / pdf)
        else:
            shutil.copy2(chromium / pdf, scanned / pdf)
    setups.append(Setup("scanned", "scanned", (SAMPLE_QUESTIONS,), pdf_names))

    mixed = _fresh(out / "mixed")
    web = bench / "web"
    manifest = yaml.safe_load((web / "manifest.yaml").read_text(encoding="utf-8"))
    for pdf in pdf_names.values():
        shutil.copy2(chromium / pdf, mixed / pdf)
    for entry in manifest:
        shutil.copy2(web / entry["file"], mixed / entry["file"])
    web_names = {entry["file"]: entry["file"] for entry in manifest}
    setups.append(Setup("mixed", "mixed", (SAMPLE_QUESTIONS, WEB_QUESTIONS), {**pdf_names, **web_names}))

    _ocr_pairs(web, manifest, _fresh(out / "ocr"), say)
    (out / "tables.json").write_text(json.dumps(tables, indent=1, ensure_ascii=False), encoding="utf-8")
    (out / "setups.json").write_text(
        json.dumps({"scanned": list(SCANNED), "setups": [asdict(s) for s in setups]}, indent=1),
        encoding="utf-8",
    )
    return setups


def _ocr_pairs(web: Path, manifest: list[dict], out: Path, say: Callable[[str], None]) -> None:
    """For each language, a web document as a Chromium PDF and as its scan; `pairs.json` lists
    [language, text PDF, scan]."""
    pairs = []
    for language in OCR_LANGUAGES:
        names = sorted(e["file"] for e in manifest if e["language"] == language)
        if not names:
            continue
        name = names[0]
        blocks = read_blocks((web / name).read_text(encoding="utf-8"))
        printed, scanned = out / f"{Path(name).stem}.pdf", out / f"{Path(name).stem}-scan.pdf"
        say(f"printing and scanning {name} …")
        html_pdf.print_to_pdf(html_pdf.to_html(blocks, language), Path(name).stem, printed)
        scans.scan(printed, scanned)
        pairs.append([language, printed.name, scanned.name])
    (out / "pairs.json").write_text(json.dumps(pairs), encoding="utf-8")


def read_setups(out: Path) -> tuple[list[Setup], tuple[str, ...]]:
    path = out / "setups.json"
    if not path.is_file():
        from assistant.errors import NotConfigured

        raise NotConfigured(f"no bench corpus at {out}: run `make bench-corpus` first")
    raw = json.loads(path.read_text(encoding="utf-8"))
    setups = [Setup(s["name"], s["folder"], tuple(s["questions"]), s["files"]) for s in raw["setups"]]
    return setups, tuple(raw["scanned"])


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
