from pathlib import Path

import pytest

from assistant.errors import IngestError
from ingest.loaders import load_file
from ingest.structure import parse_blocks
from tests.pdfs import (
    FOOTER,
    HEADER,
    build_encrypted_pdf,
    build_long_table_pdf,
    build_report_pdf,
    build_truncated_pdf,
)


def test_pdf_pages_are_physical_and_cleaned(tmp_path: Path) -> None:
    document = load_file(build_report_pdf(tmp_path / "report.pdf"))
    assert document.source_format == "pdf"
    # The second page holds only its running header and footer: it is dropped, numbering is kept.
    assert [p.number for p in document.pages] == [1, 3]
    text = "\n".join(p.text for p in document.pages)
    assert HEADER not in text and FOOTER not in text
    assert "international cooperation" in document.pages[0].text  # hyphenation across lines undone
    assert "inter-" not in document.pages[0].text


def test_pdf_table_layout_becomes_tab_separated_rows(tmp_path: Path) -> None:
    document = load_file(build_report_pdf(tmp_path / "report.pdf"))
    blocks = parse_blocks(document.pages)
    table = next(b for b in blocks if b.kind == "table")
    assert table.page == 3
    assert table.header == ["Country\tContribution\tYear"]
    assert "Brazil\t70 million\t2010" in table.rows
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert "1. Background" in headings and "2. Contributions" in headings


def test_encrypted_pdf_is_refused_with_a_clear_reason(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="encrypted"):
        load_file(build_encrypted_pdf(tmp_path / "locked.pdf"))


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError):
        load_file(build_truncated_pdf(tmp_path / "truncated.pdf"))


def test_garbage_with_pdf_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\xff" * 500)
    with pytest.raises(IngestError):
        load_file(path)


def test_table_over_two_pages_keeps_one_header(tmp_path: Path) -> None:
    document = load_file(build_long_table_pdf(tmp_path / "table.pdf"))
    tables = [b for b in parse_blocks(document.pages) if b.kind == "table"]
    assert len(tables) == 1
    table = tables[0]
    assert table.header == ["Country\tDemands\tAgreements"]
    assert len(table.rows) == 60 and "Country59\t59\t3" in table.rows
    assert (table.page, table.page_end) == (1, 2)
    assert HEADER not in "\n".join(p.text for p in document.pages)
