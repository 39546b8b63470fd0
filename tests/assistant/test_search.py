"""Hybrid search with the real model over a real store, across languages, with filters."""

from pathlib import Path

import pytest

from assistant.errors import InvalidRequest
from assistant.retrieval.langchain_retriever import HybridRetriever
from assistant.wiring import Assistant
from ingest.document_store import Filters

pytestmark = pytest.mark.slow


def test_finds_the_table_row_with_its_header(indexed: Assistant) -> None:
    top = indexed.searcher.search("Which country reached no agreement in the negotiation round?", k=3)
    first = top[0]
    assert first.chunk.kind == "table"
    assert "Bolivia\t4\t0" in first.text and "Agreements reached" in first.text
    assert first.chunk.page == 14 and first.title == "Regional Fund Report 2020"


def test_spanish_question_finds_english_passage(indexed: Assistant) -> None:
    top = indexed.searcher.search("¿Qué acordó Brasil con Paraguay?", k=2)
    assert "Brazil agreed with Paraguay" in top[0].text


def test_english_question_finds_spanish_passage(indexed: Assistant) -> None:
    top = indexed.searcher.search("When will the study on migration flows be delivered?", k=1)
    assert top[0].chunk.document_id == "informe-migracion"
    assert "noviembre" in top[0].text


def test_filters_restrict_documents_languages_and_kinds(indexed: Assistant) -> None:
    only_es = indexed.searcher.search("cooperation", k=10, filters=Filters(languages=["es"]))
    assert only_es and {p.chunk.language for p in only_es} == {"es"}
    tables = indexed.searcher.search("Brazil", k=10, filters=Filters(kinds=["table"]))
    assert tables and {p.chunk.kind for p in tables} == {"table"}
    one_doc = indexed.searcher.search("fund", k=10, filters=Filters(document_ids=["regional-fund-report"]))
    assert {p.chunk.document_id for p in one_doc} == {"regional-fund-report"}


def test_windows_never_repeat_a_chunk(assistant: Assistant, corpus: Path) -> None:
    paragraphs = "\n\n".join(
        f"Paragraph {i}: the Joint Cooperation Fund financed project {i} on social protection in "
        f"{country}, with technical assistance, internships and seminars for the ministry staff." * 3
        for i, country in enumerate(
            ["Chile", "Mexico", "Peru", "Haiti", "Cuba", "Belize", "Panama", "Brazil"]
        )
    )
    (corpus / "long-section.md").write_text(f"# Fund projects\n\n{paragraphs}\n", encoding="utf-8")
    assistant.ingestor.ingest([corpus])
    assert len(assistant.store.chunk_ids("long-section")) >= 4  # one section, several chunks
    passages = assistant.searcher.search("Joint Cooperation Fund projects on social protection", k=8)
    seen = [c.chunk_id for p in passages for c in p.parts]
    assert len(seen) == len(set(seen))
    assert sum(len(p.parts) > 1 for p in passages) >= 1  # windows did grow around hits


def test_lexical_matching_ignores_accents(indexed: Assistant) -> None:
    from ingest.document_store import Filters as F
    from ingest.text_analysis import query_terms

    hits = indexed.store.lexical_search(query_terms("migracion laboral"), 5, F())
    assert hits and indexed.store.chunks([hits[0][0]])[hits[0][0]].document_id == "informe-migracion"


def test_empty_query_is_refused(indexed: Assistant) -> None:
    with pytest.raises(InvalidRequest):
        indexed.searcher.search("   ")


def test_langchain_retriever_returns_documents_with_citation_metadata(indexed: Assistant) -> None:
    retriever = HybridRetriever(searcher=indexed.searcher, k=2)
    documents = retriever.invoke("Caribbean Resilience Fund")
    assert documents and "Caribbean Resilience Fund" in documents[0].page_content
    assert {"document_id", "page", "page_end", "section", "title", "kind"} <= set(documents[0].metadata)
