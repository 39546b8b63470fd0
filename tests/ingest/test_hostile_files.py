"""A batch of hostile files: each is refused (or recovered) with a one-line reason, the good files
are indexed, and the stores stay queryable and consistent with each other."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assistant.settings import ParseSettings, Settings
from assistant.wiring import build
from ingest.embedders import Embedder
from ingest.loaders.sandbox import ParseLimits, load_isolated
from tests.pdfs import (
    build_blank_pages_pdf,
    build_bomb_pdf,
    build_broken_xref_pdf,
    build_encrypted_pdf,
    build_report_pdf,
    build_truncated_pdf,
)

pytestmark = pytest.mark.slow


def test_hostile_batch(settings: Settings, corpus: Path, embedder: Embedder) -> None:
    build_report_pdf(corpus / "good.pdf")
    build_encrypted_pdf(corpus / "encrypted.pdf")
    build_truncated_pdf(corpus / "truncated.pdf")
    build_broken_xref_pdf(corpus / "broken-xref.pdf")
    (corpus / "zero.pdf").write_bytes(b"")
    (corpus / "zero.txt").write_bytes(b"")
    (corpus / "one-line.txt").write_bytes(b"cooperation " * (60 * 2**20 // 12))  # 60 MiB, no newline
    build_blank_pages_pdf(corpus / "blank-pages.pdf", 3500)
    build_bomb_pdf(corpus / "bomb.pdf")
    (corpus / "latin1.txt").write_bytes(
        "# Cooperación\n\nLa información llegó en noviembre.\n".encode("cp1252")
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("word/document.xml", "<w:document/>")
    (corpus / "archive.pdf").write_bytes(archive.getvalue())

    assistant = build(settings, embedder=embedder)
    try:
        report = assistant.ingestor.ingest([corpus])
        failed = {Path(p).name: reason for p, reason in report.failed}
        indexed = {Path(p).name for p in report.added}
        assert all(reason and "\n" not in reason and len(reason) < 300 for reason in failed.values())
        assert "encrypted" in failed["encrypted.pdf"]
        assert "truncated.pdf" in failed
        assert "empty" in failed["zero.pdf"] and "empty" in failed["zero.txt"]
        assert "MiB" in failed["one-line.txt"]
        assert "3500 pages" in failed["blank-pages.pdf"]
        assert "bomb.pdf" in failed
        assert "ZIP archive" in failed["archive.pdf"]
        # What can be read is: a broken xref is rebuilt, Windows-1252 text is decoded.
        assert {"good.pdf", "broken-xref.pdf", "latin1.txt"} <= indexed
        assert {"regional-fund-report.md", "informe-migracion.txt"} <= indexed
        assert set(failed) | indexed == {p.name for p in corpus.iterdir()}
        # The stores agree, and search works across what was indexed.
        assert assistant.vectors.count() == assistant.store.chunk_count()
        hits = assistant.searcher.search("información noviembre", 3)
        assert any("información llegó" in p.text for p in hits)
        best = assistant.searcher.search("Perez-Guerrero Trust Fund", 3)[0]
        assert best.chunk.document_id in {"good", "broken-xref"}
    finally:
        assistant.close()


def test_a_parser_that_runs_too_long_is_stopped(tmp_path: Path) -> None:
    pdf = build_report_pdf(tmp_path / "slow.pdf")
    with pytest.raises(Exception, match="parsing took over"):
        load_isolated(pdf, ParseLimits(timeout_seconds=0.001))


def test_limits_come_from_settings(settings: Settings, embedder: Embedder) -> None:
    strict = settings.model_copy(update={"parsing": ParseSettings(max_file_mib=1, max_pages=2)})
    assistant = build(strict, embedder=embedder)
    try:
        assert assistant.ingestor.limits == ParseLimits(1, 2, 120.0, 2048)
    finally:
        assistant.close()
