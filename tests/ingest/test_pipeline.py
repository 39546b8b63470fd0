"""Ingest end to end with the real embedding model and a real Chroma store in a temporary folder."""

from pathlib import Path

import pytest

from assistant.errors import EmbeddingMismatch
from assistant.settings import Settings
from assistant.wiring import Assistant, build
from ingest.embedders import make_embedder
from tests.conftest import REPORT_EN
from tests.pdfs import build_encrypted_pdf, build_report_pdf, build_truncated_pdf

pytestmark = pytest.mark.slow


def _vector_ids(assistant: Assistant, document_id: str) -> set[str]:
    return set(assistant.vectors.ids_for_document(document_id))


def test_chunks_carry_page_section_kind_and_language(indexed: Assistant) -> None:
    store = indexed.store
    document = store.get_document("regional-fund-report")
    assert document is not None and document.language == "en"
    chunks = store.chunks(store.chunk_ids("regional-fund-report")).values()
    table = next(c for c in chunks if c.kind == "table")
    assert table.page == 14 and table.section == "3. Results by country"
    assert table.text.splitlines()[1] == "Country\tDemands\tAgreements reached"
    agreements = next(c for c in chunks if "Paraguay" in c.text)
    assert agreements.page == 13 and agreements.section.endswith("2. Agreements reached")
    spanish = store.chunks(store.chunk_ids("informe-migracion")).values()
    assert {c.language for c in spanish} == {"es"}
    assert _vector_ids(indexed, "regional-fund-report") == set(store.chunk_ids("regional-fund-report"))


def test_reingest_of_unchanged_files_skips_them(indexed: Assistant, corpus: Path) -> None:
    before = set(indexed.store.chunk_ids("regional-fund-report"))
    report = indexed.ingestor.ingest([corpus])
    assert len(report.skipped) == 2 and not report.added and not report.updated
    assert report.chunks == 0
    assert set(indexed.store.chunk_ids("regional-fund-report")) == before


def test_changed_file_is_replaced_as_a_unit(indexed: Assistant, corpus: Path) -> None:
    old_ids = set(indexed.store.chunk_ids("regional-fund-report"))
    path = corpus / "regional-fund-report.md"
    path.write_text(REPORT_EN.replace("Bolivia\t4\t0", "Bolivia\t4\t2"), encoding="utf-8")
    report = indexed.ingestor.ingest([corpus])
    assert [Path(p).name for p in report.updated] == ["regional-fund-report.md"]
    new_ids = set(indexed.store.chunk_ids("regional-fund-report"))
    assert new_ids and not (new_ids & old_ids)
    assert _vector_ids(indexed, "regional-fund-report") == new_ids  # no stale vectors left behind
    texts = "\n".join(c.text for c in indexed.store.chunks(new_ids).values())
    assert "Bolivia\t4\t2" in texts and "Bolivia\t4\t0" not in texts


def test_a_changed_file_that_now_fails_keeps_its_last_good_version(indexed: Assistant, corpus: Path) -> None:
    before = set(indexed.store.chunk_ids("informe-migracion"))
    (corpus / "informe-migracion.txt").write_bytes(b"\x00\x01 broken now")
    report = indexed.ingestor.ingest([corpus])
    assert [Path(p).name for p, _ in report.failed] == ["informe-migracion.txt"]
    assert set(indexed.store.chunk_ids("informe-migracion")) == before
    assert _vector_ids(indexed, "informe-migracion") == before
    assert indexed.searcher.search("estudio sobre migración", k=1)[0].chunk.document_id == "informe-migracion"


def test_vanished_file_is_removed(indexed: Assistant, corpus: Path) -> None:
    ids = indexed.store.chunk_ids("informe-migracion")
    (corpus / "informe-migracion.txt").unlink()
    report = indexed.ingestor.ingest([corpus])
    assert len(report.removed) == 1
    assert indexed.store.get_document("informe-migracion") is None
    assert not indexed.store.chunks(ids) and not _vector_ids(indexed, "informe-migracion")


def test_bad_files_are_reported_and_never_stop_the_batch(assistant: Assistant, corpus: Path) -> None:
    build_report_pdf(corpus / "pgtf-report.pdf")
    build_encrypted_pdf(corpus / "locked.pdf")
    build_truncated_pdf(corpus / "truncated.pdf")
    (corpus / "empty.md").write_text("")
    (corpus / "zeros.txt").write_bytes(b"\x00" * 1000)
    report = assistant.ingestor.ingest([corpus])
    failed = {Path(p).name: reason for p, reason in report.failed}
    assert set(failed) == {"locked.pdf", "truncated.pdf", "empty.md", "zeros.txt"}
    assert "encrypted" in failed["locked.pdf"]
    assert all(reason and "\n" not in reason for reason in failed.values())
    assert {Path(p).name for p in report.added} == {
        "regional-fund-report.md",
        "informe-migracion.txt",
        "pgtf-report.pdf",
    }
    assert {d.document_id for d in assistant.store.list_documents()} == {
        "regional-fund-report",
        "informe-migracion",
        "pgtf-report",
    }
    assert assistant.vectors.count() == assistant.store.chunk_count()  # nothing partial left behind
    pdf_chunks = assistant.store.chunks(assistant.store.chunk_ids("pgtf-report")).values()
    assert {c.page for c in pdf_chunks} == {1, 3}


def test_interrupted_ingest_leaves_no_orphans(indexed: Assistant, corpus: Path) -> None:
    """Vectors written before a crash, but never committed to the store, are swept next time."""
    chunk = next(iter(indexed.store.chunks(indexed.store.chunk_ids("regional-fund-report")).values()))
    from dataclasses import replace

    orphan = replace(chunk, chunk_id="regional-fund-report:deadbeef00:00000")
    indexed.vectors.upsert([orphan], indexed.embedder.embed_passages([orphan.text]))
    assert orphan.chunk_id in _vector_ids(indexed, "regional-fund-report")
    assert all(p.chunk.chunk_id != orphan.chunk_id for p in indexed.searcher.search(chunk.text, 50))
    indexed.ingestor.ingest([corpus])
    assert orphan.chunk_id not in _vector_ids(indexed, "regional-fund-report")


def test_embeddings_are_cached_by_content(settings: Settings, corpus: Path, indexed: Assistant) -> None:
    indexed.close()
    rebuilt = build(settings, embedder=indexed.embedder, rebuild=True)
    try:
        report = rebuilt.ingestor.ingest([corpus])
        assert len(report.added) == 2 and report.embedded == 0
    finally:
        rebuilt.close()


def test_querying_with_another_model_is_a_clear_error(settings: Settings, indexed: Assistant) -> None:
    indexed.close()
    with pytest.raises(EmbeddingMismatch, match="multilingual-e5-small"):
        build(settings, embedder=make_embedder("hashing"))


def test_new_chunking_settings_reprocess_unchanged_files(
    settings: Settings, corpus: Path, indexed: Assistant
) -> None:
    old_ids = set(indexed.store.chunk_ids("regional-fund-report"))
    indexed.close()
    changed = settings.model_copy(
        update={"chunking": settings.chunking.model_copy(update={"target_chars": 300})}
    )
    rebuilt = build(changed, embedder=indexed.embedder)
    try:
        report = rebuilt.ingestor.ingest([corpus])
        assert len(report.updated) == 2 and not report.skipped
        new_ids = set(rebuilt.store.chunk_ids("regional-fund-report"))
        assert len(new_ids) > len(old_ids) and not (new_ids & old_ids)
        assert set(rebuilt.vectors.ids_for_document("regional-fund-report")) == new_ids
    finally:
        rebuilt.close()
