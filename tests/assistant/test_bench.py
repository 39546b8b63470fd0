"""The bench: its questions hold against their documents, its folds split documents, and its corpus
builder makes real PDFs with what real reports have (a browser's print header, roman page labels,
ligature glyphs, ruled tables) and scans with no text layer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from assistant.evaluation.bench.corpus import build
from assistant.evaluation.bench.folds import HELD_OUT, document_folds, item_folds, split_of
from assistant.evaluation.bench.questions import check, source_texts
from assistant.evaluation.qa import QAItem, read_qa

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "eval" / "bench"

DOCUMENT = """# Regional Fund Report

## 1. Background

The Caribbean Resilience Fund finances triangular cooperation between Caribbean states and
partners in the South. Its board meets twice a year to approve projects, and its secretariat
publishes an annual report on the resources mobilised and the lessons learned.

Table 1
Country\tDemands\tAgreements reached
Bahamas\t4\t3
Brazil\t18\t17
"""


def test_every_bench_question_holds_against_its_documents() -> None:
    problems, items = check(
        sorted((BENCH / "questions").glob("*.jsonl")), source_texts(ROOT / "corpus", BENCH)
    )
    assert problems == []
    assert len(items) >= 200


def test_the_checker_catches_a_question_whose_evidence_is_not_in_its_source(tmp_path: Path) -> None:
    texts = {"doc.txt": "The fund was created in 2015 by the ministry."}
    good = {"id": "a", "question": "When?", "answer": "In 2015", "must_contain": ["2015"], "type": "factoid"}
    good |= {
        "source": "doc.txt",
        "evidence": ["created in\n2015 by the ministry"],
        "lang": "en",
        "doc_lang": "en",
    }
    good |= {"cross_lingual": False}
    bad = {**good, "id": "b", "evidence": ["created in 2016"]}
    wrong_answer = {**good, "id": "c", "must_contain": ["2016"]}
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in (good, bad, wrong_answer)), encoding="utf-8")
    problems, _ = check([path], texts)
    assert [(p.id, p.what.split(":")[0]) for p in problems] == [
        ("b", "evidence not in its sources"),
        ("c", "must_contain '2016' is not in the answer"),
    ]


def test_folds_split_by_document_and_hold_out_two_of_five() -> None:
    folds = document_folds([["s1", "s2", "s3", "s4", "s5"], ["w1", "w2", "w3", "w4", "w5", "w6"]])
    assert sorted(folds[f"s{i}"] for i in range(1, 6)) == [0, 1, 2, 3, 4]
    items = [QAItem(f"q{i}", "?", "factoid", ["e"], sources=["s2"]) for i in range(3)]
    items += [QAItem(f"u{i}", "?", "unanswerable") for i in range(5)]
    placed = item_folds(items, folds)
    assert {placed[f"q{i}"] for i in range(3)} == {folds["s2"]}  # one document, one fold
    assert sum(split_of(placed[f"u{i}"]) == "held-out" for i in range(5)) == len(HELD_OUT)


@pytest.mark.slow
def test_the_corpus_builder_makes_real_pdfs_and_scans(tmp_path: Path) -> None:
    corpus, bench = tmp_path / "corpus", tmp_path / "bench"
    (bench / "web").mkdir(parents=True)
    corpus.mkdir()
    originals = ["000_cebb73083a3cf8a6.txt", "003_a8faacb331889bb2.txt"]  # the two the bench scans
    catalogue = {}
    for number, original in enumerate(originals):
        name = f"fund-report-{number}.txt"
        (corpus / name).write_text(DOCUMENT, encoding="utf-8")
        entry = {
            "title": "Regional Fund Report",
            "publisher": "SELA, Caracas",
            "year": 2020,
            "language": "en",
        }
        catalogue[name] = {**entry, "original_file": original}
    (corpus / "catalogue.yaml").write_text(yaml.safe_dump({"documents": catalogue}), encoding="utf-8")
    (bench / "web" / "es-fondo.txt").write_text("El Fondo Mixto financia proyectos.", encoding="utf-8")
    manifest = [{"file": "es-fondo.txt", "url": "https://example.org", "language": "es"}]
    (bench / "web" / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    out = tmp_path / "build"
    setups = build(corpus, bench, out, log=lambda _: None)
    assert [s.name for s in setups] == ["text", "pdf-chromium", "pdf-columns", "scanned", "mixed"]

    printed = PdfReader(out / "pdf-chromium" / "fund-report-0.pdf")
    assert printed.metadata.title == "fund-report-0.html"  # no title but the file's name, as browsers do
    page_text = printed.pages[0].extract_text()
    assert "\ufb01le://" in page_text and "1/1" in page_text  # the browser's footer, ligature and all

    typeset = PdfReader(out / "pdf-columns" / "fund-report-0.pdf")
    assert typeset.page_labels[:3] == ["i", "ii", "1"][: len(typeset.pages)]
    text = "".join(page.extract_text() for page in typeset.pages)
    assert "\ufb01" in text  # "finances" set with the fi ligature glyph
    assert "Brazil" in text and "Agreements reached" in text

    scan = PdfReader(out / "scanned" / "fund-report-0.pdf")
    assert all(not (page.extract_text() or "").strip() for page in scan.pages)
    assert sorted(p.name for p in (out / "mixed").iterdir()) == [
        "es-fondo.txt",
        "fund-report-0.pdf",
        "fund-report-1.pdf",
    ]
    pairs = json.loads((out / "ocr" / "pairs.json").read_text())
    assert pairs == [["es", "es-fondo.pdf", "es-fondo-scan.pdf"]]
    assert "Fondo Mixto" in PdfReader(out / "ocr" / "es-fondo.pdf").pages[0].extract_text()
    assert not (PdfReader(out / "ocr" / "es-fondo-scan.pdf").pages[0].extract_text() or "").strip()
    assert json.loads((out / "tables.json").read_text())["fund-report-0.pdf"][0][0] == [
        "Country",
        "Demands",
        "Agreements reached",
    ]


def test_read_qa_keeps_the_bench_fields(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text(
        json.dumps({"id": "x", "question": "¿?", "lang": "es", "doc_lang": "en", "cross_lingual": True})
    )
    (item,) = read_qa(path)
    assert (item.lang, item.doc_lang, item.cross_lingual) == ("es", "en", True)


def test_the_language_matrix_puts_each_pair_in_its_cell() -> None:
    from rich.console import Console

    from assistant.evaluation.bench.report import language_matrix

    def group(r5: float, n: int) -> dict:
        return {"n": n, "R@5": r5}

    ranking = {
        "held-out": {"es→en": group(0.5, 4), "en→en": group(1.0, 2), "pt→es": group(0.25, 4)},
        "train": {"es→en": group(0.75, 4), "en→en": group(0.9, 2), "pt→es": group(0.0, 1)},
    }
    table = language_matrix("mixed", {"retrieval": {"ssc-assistant": ranking}})
    assert table is not None
    console = Console(width=200, record=True)
    console.print(table)
    rows = {line.split("│")[1].strip(): line for line in console.export_text().splitlines() if "│" in line}
    assert "0.500 (0.750) n=4" in rows["es"] and "0.250 (0.000) n=4" in rows["pt"]
    # Columns are document languages: es→en sits under en with en→en, pt→es in the next column.
    assert rows["en"].index("1.000 (0.900)") == rows["es"].index("0.500") < rows["pt"].index("0.250")
    one_language = {"held-out": {"es→en": group(0.5, 4)}, "train": {}}
    assert language_matrix("text", {"retrieval": {"ssc-assistant": one_language}}) is None
