"""Small real-world PDFs: a page whose only text is a greeting, a form's labels or a watermark is
indexed and found, while a blank page still fails with its one-line reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.wiring import Assistant
from tests.pdfs import build_bare_page_pdf, build_blank_pages_pdf

pytestmark = pytest.mark.slow

# The kinds of one-page files a public collection of sample PDFs holds.
ONE_PAGE_FILES = {
    "hello.pdf": ["Hello, World!"],
    "form.pdf": ["Name", "Check", "Submit"],
    "signature.pdf": ["Name: Foo Bar", "Fingerprint: 7F3A 91C2 0B4D", "Signed: 2021-03-04"],
    "test.pdf": ["Test"],
    "pdfkit.pdf": ["Header", "Foo: bar", "ABC: DEF"],
    "watermark.pdf": ["CONFIDENTIAL DRAFT - NOT FOR CIRCULATION"],
}


def test_one_page_pdfs_are_indexed_and_found(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    for name, lines in ONE_PAGE_FILES.items():
        build_bare_page_pdf(folder / name, lines)
    report = assistant.ingestor.ingest([folder])
    assert report.failed == []
    assert len(report.added) == len(ONE_PAGE_FILES)
    for lines in ONE_PAGE_FILES.values():
        top = assistant.searcher.search(lines[-1], k=3)
        assert any(lines[-1] in passage.text for passage in top), (lines, [p.text for p in top])


def test_pages_with_nothing_to_read_still_fail_with_their_reason(
    assistant: Assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    build_blank_pages_pdf(folder / "blank.pdf", 1)
    report = assistant.ingestor.ingest([folder])
    reasons = {Path(key).name: reason for key, reason in report.failed}
    assert set(reasons) == {"blank.pdf"}
    assert "no extractable text" in reasons["blank.pdf"]
    # Image-only pages: tests/ingest/test_real_pdfs.py (read by OCR, or refused without Tesseract).
    assert assistant.store.list_documents() == []
