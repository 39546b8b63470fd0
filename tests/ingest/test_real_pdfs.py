"""Real-world PDFs, made by real producers and read back: two columns with ligatures, roman page
labels and a ruled table over two pages (fpdf2); a browser's print header and footer (headless
Chromium); a scanned page read by the real Tesseract."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF

from assistant.evaluation.bench import columns_pdf, html_pdf, scans
from assistant.evaluation.bench.seed_blocks import Block, read_blocks
from assistant.wiring import Assistant
from ingest.loaders import load_file
from ingest.structure import parse_blocks
from tests.pdfs import build_bare_page_pdf

pytestmark = pytest.mark.slow

PARAGRAPH = (
    "The Caribbean Resilience Fund finances triangular cooperation between Caribbean states and "
    "partners in the South, offering technical assistance, field missions and the efficient transfer "
    "of knowledge in the fields of social protection, disaster risk and official statistics. "
)
ROWS = [["Country", "Demands", "Agreements reached"]] + [
    [f"Country {n}", str(n), str(n // 2)] for n in range(1, 90)
]


def report_blocks() -> list[Block]:
    paragraphs = [Block("paragraph", f"Section {n}. " + PARAGRAPH * 3) for n in range(1, 9)]
    closing = Block("paragraph", "A total of 82 agreements were reached at the roundtable of the fund.")
    return [Block("heading", "1. Background", level=2), *paragraphs, closing, Block("table", rows=ROWS)]


def test_two_columns_ligatures_page_labels_and_a_table_over_two_pages(tmp_path: Path) -> None:
    path = columns_pdf.render(
        report_blocks(), "Regional Fund Report", "SELA · 2020", "en", tmp_path / "r.pdf"
    )
    document = load_file(path)
    text = "\n".join(page.text for page in document.pages)
    assert not re.search("[\ufb00-\ufb4f]", text)  # ﬁ ﬀ ﬂ became letters
    assert "offering" in text and "efficient" in text and "finances" in text
    assert "Section 3. The Caribbean Resilience Fund finances triangular cooperation" in text  # column order
    assert "A total of 82 agreements were reached" in text
    assert document.title == "Regional Fund Report"  # the cover's largest type, not the file name
    assert [page.label for page in document.pages][:3] == ["i", "ii", "1"]
    table_pages = [
        page for page in document.pages if "Country 1\t1\t0" in page.text or "Country 89\t89" in page.text
    ]
    assert len(table_pages) == 2  # the table runs over two pages, row by row
    assert "Country 45\t45\t22" in text
    assert text.count("Country\tDemands\tAgreements reached") == 1  # its repeated header kept once


WIDE_ROWS = [
    [
        "Country",
        "Education",
        "Infrastructure",
        "Agriculture",
        "Environment",
        "Health",
        "Governance",
        "Statistics",
    ],
    *[[f"Land {n}", "ECLAC", "CARICOM", "FAO", "UNEP", "PAHO", "SEGIB", "OAS"] for n in range(1, 6)],
]


def test_prose_columns_around_a_full_width_table_read_in_order(tmp_path: Path) -> None:
    """A page whose two columns of prose sit above and below a full-width table: no column of
    the character grid stays blank, so only the words' positions show the gutter. Narrow cells
    break long words ("Infrastruc" / "ture"); the prose writes them whole."""
    sentences = [
        f"Finding {n}: the Infrastructure, Environment and Governance programme reached {n * 7} partners."
        for n in range(1, 13)
    ]
    blocks = [
        Block("heading", "2. Findings", level=2),
        Block("paragraph", " ".join(sentences[:6])),
        Block("paragraph", " ".join(sentences[6:])),
        Block("table", rows=WIDE_ROWS),
        Block("paragraph", "Statistics and Agriculture programmes follow. " + PARAGRAPH),
        Block("paragraph", "Education closes the report. " + PARAGRAPH),
    ]
    path = columns_pdf.render(blocks, "Findings Report", "SELA · 2020", "en", tmp_path / "f.pdf")
    text = "\n".join(page.text for page in load_file(path).pages)
    flat = " ".join(text.split())
    assert " ".join(sentences[:6]) in flat and " ".join(sentences[6:]) in flat  # column by column
    assert "\t".join(WIDE_ROWS[3]) in text
    assert (
        "Country\tEducation\tInfrastructure\tAgriculture\tEnvironment\tHealth\tGovernance\tStatistics" in text
    )


def test_a_browsers_print_header_and_footer_are_furniture(tmp_path: Path) -> None:
    blocks = read_blocks("# Regional Fund Report\n\n" + "\n\n".join(PARAGRAPH * 2 for _ in range(12)))
    path = html_pdf.print_to_pdf(html_pdf.to_html(blocks, "en"), "regional-fund-report", tmp_path / "r.pdf")
    document = load_file(path)
    text = "\n".join(page.text for page in document.pages)
    assert len(document.pages) >= 2
    assert "file://" not in text and not re.search(r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}", text)
    assert document.title == "Regional Fund Report"  # not "regional-fund-report.html"


def scanned_pdf(tmp_path: Path, lines: list[str]) -> Path:
    page = build_bare_page_pdf(tmp_path / "page.pdf", lines)
    return scans.scan(page, tmp_path / "scan.pdf")


def test_a_scanned_page_is_read_by_tesseract_cited_and_marked(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    lines = [
        "The Caribbean Resilience Fund finances triangular",
        "cooperation between Caribbean states. It was created",
        "in 2015 by the Ministry of Foreign Affairs of Jamaica.",
    ]
    scanned_pdf(tmp_path, lines).rename(folder / "scan.pdf")
    report = assistant.ingestor.ingest([folder])
    assert report.failed == []
    (document,) = assistant.store.list_documents()
    (page,) = assistant.store.pages(document.document_id)
    assert page.ocr and "Ministry of Foreign Affairs of Jamaica" in page.text
    top = assistant.searcher.search("¿Quién creó el Fondo de Resiliencia del Caribe?", k=1)[0]
    assert top.chunk.ocr and "Jamaica" in top.text


def test_without_tesseract_a_scan_fails_saying_how_to_install_it(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path, ["A scanned page of a cooperation report."])
    bin_dir = Path(sys.executable).parent  # the venv's Python, and no system directory with tesseract
    code = "import sys, pathlib, ingest.loaders as l; l.load_file(pathlib.Path(sys.argv[1]))"
    env = {**os.environ, "PATH": str(bin_dir)}
    run = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True)
    assert run.returncode != 0
    assert "apt-get install tesseract-ocr" in run.stderr


def test_a_scan_with_nothing_legible_fails_with_its_reason(tmp_path: Path) -> None:
    import numpy as np
    from PIL import Image

    # A blank sheet through a scanner: faint grey speckle, no writing.
    noise = Image.fromarray((np.random.default_rng(3).random((400, 300)) * 25 + 230).astype("uint8"), "L")
    noise.save(tmp_path / "noise.png")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(tmp_path / "noise.png"), x=10, y=10, w=180)
    pdf.output(str(tmp_path / "noise.pdf"))
    from assistant.errors import IngestError

    with pytest.raises(IngestError, match="nothing legible"):
        load_file(tmp_path / "noise.pdf")


def test_a_table_cut_by_group_labels_is_read_as_one_with_its_header(tmp_path: Path) -> None:
    """A header ruled apart from the body, and group labels ("Africa") set between the body's
    pieces: pdfplumber returns each piece as a table of its own. Stacked on the same columns they
    are read as one, so every row keeps the header above it and the labels stay rows."""
    header = ["Partner countries", "Brazil MDS", "Chile FOSIS", "Colombia Social Action", "Mexico SEDESOL"]
    blocks = [
        Block("paragraph", PARAGRAPH),
        Block("table", rows=[header]),
        Block("paragraph", "Americas and Caribbean"),
        Block("table", rows=[["Argentina", "", "", "x", "x"], ["Bolivia", "x", "x", "x", "x"]]),
        Block("paragraph", "Africa"),
        Block("table", rows=[["Angola", "x", "", "", "x"], ["Kenya", "x", "", "", ""]]),
        Block("paragraph", PARAGRAPH),
    ]
    path = columns_pdf.render(blocks, "Mapping Report", "OAS · 2010", "en", tmp_path / "g.pdf")
    text = "\n".join(page.text for page in load_file(path).pages)
    lines = [line.rstrip("\t") for line in text.splitlines() if "\t" in line]
    start = lines.index("\t".join(header))
    assert lines[start + 1 : start + 7] == [
        "Americas and Caribbean",
        "Argentina\t\t\tx\tx",
        "Bolivia\tx\tx\tx\tx",
        "Africa",
        "Angola\tx\t\t\tx",
        "Kenya\tx",
    ]


def test_paragraphs_and_headings_of_two_columns_come_from_the_spacing(tmp_path: Path) -> None:
    """In two narrow justified columns a heading is set apart from its paragraphs only by a little
    space: read from the text alone it ran into the next paragraph, a line ending on a comma
    before a capital ("Guatemala," / "Honduras") cut a paragraph, and a justified heading's wide
    spaces made it a table row."""
    members = (
        "SICA's engagement benefits its member states: El Salvador, Guatemala, Honduras, Nicaragua, "
        "Costa Rica, Belize, Panama, and the Dominican Republic, whose ministries share statistics, "
        "health programmes, Disaster Risk plans, Food Security systems and Trade Facilitation tools."
    )
    blocks = [
        Block("heading", "4. Regional Integration", level=2),
        Block("paragraph", PARAGRAPH * 2),
        Block("heading", "Countries benefitting from support", level=3),
        Block("paragraph", members),
        Block("heading", "Funding", level=3),
        Block("paragraph", "Funding comes from the members of SICA, Finland and Spain. " + PARAGRAPH),
        Block("heading", "A SUMMARY TABLE: MULTILATERAL SUPPORT TO SOUTH-SOUTH COOPERATION IN LAC", level=2),
        Block("paragraph", "Disclaimer: the table summarises the findings. " + PARAGRAPH * 4),
    ]
    path = columns_pdf.render(blocks, "Integration Report", "UNDP · 2011", "en", tmp_path / "i.pdf")
    parsed = parse_blocks(load_file(path).pages)
    headings = [block.text for block in parsed if block.kind == "heading"]
    assert "Countries benefitting from support" in headings and "Funding" in headings
    assert "A SUMMARY TABLE: MULTILATERAL SUPPORT TO SOUTH-SOUTH COOPERATION IN LAC" in headings
    paragraphs = {block.text: block.section for block in parsed if block.kind == "paragraph"}
    assert paragraphs[members][-1] == "Countries benefitting from support"  # one paragraph, its heading
    funding = next(text for text in paragraphs if text.startswith("Funding comes from"))
    assert paragraphs[funding][-1] == "Funding"
    assert not any(block.kind == "table" for block in parsed)


def test_a_scanned_ruled_table_is_read_row_by_row_with_its_header(tmp_path: Path) -> None:
    """A ruled table on a tilted, speckled scan: its rules were read as letters ("Lee ee een")
    and its lone digits dropped. Straightened, with the rules taken out and each cell placed by
    the grid, it reads as rows under their header."""
    rows = [("Country", "Demands", "Agreements reached")] + [
        (country, str(demands), str(agreed))
        for country, demands, agreed in [
            ("Bahamas", 4, 3), ("Guyana", 4, 1), ("Haiti", 4, 4), ("Jamaica", 5, 3),
            ("Nicaragua", 7, 6), ("Paraguay", 5, 5), ("Trinidad & Tobago", 3, 1), ("Uruguay", 4, 3),
        ]
    ]  # fmt: skip
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Table 1 General results of the negotiation round, by country.")
    pdf.ln(4)
    with pdf.table(first_row_as_headings=True, line_height=8) as table:
        for row in rows:
            table.row(list(row))
    pdf.output(str(tmp_path / "table.pdf"))
    document = load_file(scans.scan(tmp_path / "table.pdf", tmp_path / "scan.pdf"))
    text = document.pages[0].text
    assert document.pages[0].ocr
    assert "Country\tDemands\tAgreements reached" in text
    for row in rows[1:]:
        assert "\t".join(row) in text
