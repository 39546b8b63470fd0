"""The entity catalogue built at ingest: extraction in three languages, resolution across
documents, incremental updates, and its place in search and answers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.api.app import create_app
from assistant.retrieval.asked_type import asked_type
from assistant.wiring import Assistant
from ingest.document_store import Filters
from tests import client
from tests.net import serve
from tests.pdfs import build_one_page_pdf

pytestmark = pytest.mark.slow

SPANISH = [
    "Informe de la Agencia Mexicana de Cooperación Internacional para el Desarrollo",
    "La Agencia Mexicana de Cooperación Internacional para el Desarrollo (AMEXCID) y el",
    "Fondo de Resiliencia del Caribe (CRF) firmaron el Acuerdo de Cooperación Técnica de",
    "Tegucigalpa con Honduras. El CRF financiará tres proyectos con Guatemala y Brasil.",
]
PORTUGUESE = [
    "Relatório da Agência Brasileira de Cooperação",
    "A Agência Brasileira de Cooperação (ABC) assinou a Declaração de Brasília sobre",
    "cooperação Sul-Sul com o Paraguai. O Fundo de Resiliência do Caribe (CRF) apoiará",
    "a ABC em dois projetos com a Bolívia e o Brasil.",
]


@pytest.fixture
def multilingual(indexed: Assistant, corpus: Path) -> Assistant:
    build_one_page_pdf(corpus / "informe-amexcid.pdf", SPANISH)
    build_one_page_pdf(corpus / "relatorio-abc.pdf", PORTUGUESE)
    report = indexed.ingestor.ingest([corpus])
    assert not report.failed, report.failed
    return indexed


def _by_name(assistant: Assistant, name: str):  # type: ignore[no-untyped-def]
    found, _ = assistant.entities.page(query=name)
    assert found, f"no entity named like {name!r}"
    entity = assistant.entities.get(found[0].entity_id)
    assert entity is not None
    return entity


def test_english_entities_are_typed_by_their_head_noun(indexed: Assistant) -> None:
    fund = _by_name(indexed, "Caribbean Resilience Fund")
    assert (fund.type, fund.acronym) == ("fund", "CRF")
    ministry = _by_name(indexed, "Ministry of Foreign Affairs")
    assert ministry.type == "agency"
    paraguay = _by_name(indexed, "Paraguay")
    assert paraguay.type == "country" and {m.page for m in paraguay.mentions} >= {13}


def test_spanish_and_portuguese_pdfs_are_extracted_and_resolved_against_known_entries(
    multilingual: Assistant,
) -> None:
    # The fund the English report defines is the same entry, found by its acronym in both PDFs.
    fund = _by_name(multilingual, "Caribbean Resilience Fund")
    assert {m.document_id for m in fund.mentions} == {
        "regional-fund-report",
        "informe-amexcid",
        "relatorio-abc",
    }
    names = {fund.name, *fund.aliases}
    assert {
        "Caribbean Resilience Fund",
        "Fondo de Resiliencia del Caribe",
        "Fundo de Resiliência do Caribe",
    } <= names
    amexcid = _by_name(multilingual, "AMEXCID")
    assert amexcid.type == "agency" and amexcid.name.startswith("Agencia Mexicana de Cooperación")
    assert _by_name(multilingual, "Acuerdo de Cooperación Técnica").type == "agreement"
    abc = _by_name(multilingual, "Agência Brasileira de Cooperação")
    assert abc.type == "agency" and abc.acronym == "ABC" and len(abc.mentions) >= 2
    assert _by_name(multilingual, "Declaração de Brasília").type == "agreement"
    # Countries by their Spanish and Portuguese names join the English entry.
    brazil = _by_name(multilingual, "Brazil")
    assert {"regional-fund-report", "informe-amexcid", "relatorio-abc"} <= {
        m.document_id for m in brazil.mentions
    }
    related = {e.entity_id for e, _ in multilingual.entities.related(abc.entity_id)}
    assert fund.entity_id in related  # named in the same sentence


def test_removing_and_changing_a_document_updates_the_catalogue(
    multilingual: Assistant, corpus: Path
) -> None:
    (corpus / "relatorio-abc.pdf").unlink()
    multilingual.ingestor.ingest([corpus])
    assert not multilingual.entities.page(query="Agência Brasileira")[0]
    fund = _by_name(multilingual, "Caribbean Resilience Fund")
    assert "relatorio-abc" not in {m.document_id for m in fund.mentions}
    build_one_page_pdf(
        corpus / "informe-amexcid.pdf", [*SPANISH, "El Fondo Conjunto Chile-México (FCCM) apoya."]
    )
    multilingual.ingestor.ingest([corpus])
    assert _by_name(multilingual, "Fondo Conjunto Chile-México").type == "fund"


def test_search_boosts_and_filters_by_entity(multilingual: Assistant) -> None:
    abc = _by_name(multilingual, "Agência Brasileira de Cooperação")
    passages = multilingual.searcher.search("projects", k=5, filters=Filters(entities=[abc.entity_id]))
    assert passages and all(p.chunk.document_id == "relatorio-abc" for p in passages)
    named = multilingual.entities.named_in("What does the ABC do with the CRF?")
    assert abc.entity_id in named and "fund:crf" in named


def test_list_questions_favour_passages_naming_entities_of_the_asked_type(multilingual: Assistant) -> None:
    assert asked_type("Which funds finance triangular cooperation?") == "fund"
    assert asked_type("¿Qué agencias apoyan a Paraguay?") == "agency"
    assert asked_type("Quais acordos o Brasil assinou?") == "agreement"
    assert asked_type("What did Brazil agree with Paraguay?") is None
    chunk_ids = multilingual.store.chunk_ids("informe-amexcid")
    assert sum(multilingual.entities.typed_in_chunks(chunk_ids, "fund").values()) >= 1
    question = "Which funds support projects?"
    plain = multilingual.searcher.search(question, k=30)
    boosted = replace(
        multilingual.searcher, options=multilingual.searcher.options.model_copy(update={"type_boost": 1.0})
    ).search(question, k=30)
    before = {p.chunk.chunk_id: p.score for p in plain}
    after = {p.chunk.chunk_id: p.score for p in boosted}
    with_fund = set(multilingual.entities.typed_in_chunks(list(before), "fund")) & set(after)
    assert with_fund and all(after[c] > before[c] for c in with_fund)


@pytest.fixture
def base_url(multilingual: Assistant) -> Iterator[str]:
    with serve(create_app(multilingual.settings, multilingual)) as url:
        yield url


def test_entity_endpoints(base_url: str) -> None:
    funds = client.get(f"{base_url}/v1/entities", params={"type": "fund"}).json()
    assert funds["total"] >= 1 and all(e["type"] == "fund" for e in funds["entities"])
    crf = next(e for e in funds["entities"] if e["acronym"] == "CRF")
    page = client.get(f"{base_url}/v1/entities", params={"q": "resiliencia", "limit": 1}).json()
    assert page["entities"][0]["id"] == crf["id"] and page["limit"] == 1
    in_document = client.get(f"{base_url}/v1/entities", params={"document_id": "relatorio-abc"}).json()
    assert {"fund", "agency", "agreement", "country"} <= {e["type"] for e in in_document["entities"]}
    detail = client.get(f"{base_url}/v1/entities/{crf['id']}").json()
    assert {m["document_id"] for m in detail["mentions_in"]} >= {"regional-fund-report", "relatorio-abc"}
    assert detail["mentions_in"][0]["url"].startswith("/sources/")
    assert any(r["type"] == "agency" for r in detail["related"])


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/v1/entities/fund:no-such-thing", {}, 404),
        ("/v1/entities", {"type": "planet"}, 422),
        ("/v1/entities", {"limit": 0}, 422),
        ("/v1/entities", {"offset": -1}, 422),
        ("/v1/entities", {"q": ""}, 422),
    ],
)
def test_bad_entity_requests_get_4xx_with_a_message(
    base_url: str, path: str, params: dict, status: int
) -> None:
    response = client.get(f"{base_url}{path}", params=params)
    assert response.status_code == status and response.json()["detail"]


def test_ask_returns_the_entities_it_names(base_url: str) -> None:
    body = client.post(f"{base_url}/v1/ask", json={"question": "What did Brazil agree with Paraguay?"}).json()
    assert not body["abstained"]
    ids = {e["id"] for e in body["entities"]}
    assert {"country:brazil", "country:paraguay"} <= ids
    brazil = next(e for e in body["entities"] if e["id"] == "country:brazil")
    assert brazil["spans"] and all(body["answer"][s:e] == "Brazil" for s, e in brazil["spans"])


def test_a_curated_list_types_bare_acronyms_adds_aliases_and_is_optional(
    indexed: Assistant, corpus: Path
) -> None:
    (corpus / "informe-clima.txt").write_text(
        "El Ministerio de Relaciones Exteriores de Jamaica coordina a los puntos focales de la UNFCCC.\n",
        encoding="utf-8",
    )
    indexed.ingestor.ingest([corpus])
    assert not indexed.entities.page(query="UNFCCC")[0]  # never written out: no entity by rules alone
    # The list alone changed: the next ingest rebuilds the catalogue with it.
    (corpus / "entities.yaml").write_text(
        "entities:\n"
        "  - {name: United Nations Framework Convention on Climate Change, type: agreement,\n"
        "     acronym: UNFCCC,\n"
        "     aliases: [Convención Marco de las Naciones Unidas sobre el Cambio Climático]}\n"
        "  - {name: Ministry of Foreign Affairs of Jamaica, type: agency,\n"
        "     aliases: [Ministerio de Relaciones Exteriores de Jamaica]}\n"
        "  - {name: Nobody Names This Fund, type: fund}\n"
        "  - {name: A Bad Entry, type: treaty, aliases: [Caribbean Resilience Fund]}\n",
        encoding="utf-8",
    )
    report = indexed.ingestor.ingest([corpus])
    assert not report.failed, report.failed
    convention = _by_name(indexed, "Convención Marco de las Naciones Unidas")
    assert (convention.type, convention.acronym) == ("agreement", "UNFCCC")
    assert {m.document_id for m in convention.mentions} == {"informe-clima"}
    ministry = _by_name(indexed, "Ministerio de Relaciones Exteriores de Jamaica")
    assert ministry.name == "Ministry of Foreign Affairs of Jamaica"
    assert {m.document_id for m in ministry.mentions} == {"regional-fund-report", "informe-clima"}
    assert not indexed.entities.page(query="Nobody Names This Fund")[0]  # no document names it
    # An entry with a bad type is skipped, not fatal, and does not retype what it names.
    fund = _by_name(indexed, "Caribbean Resilience Fund")
    assert (fund.name, fund.type) == ("Caribbean Resilience Fund", "fund")

    # A broken file is ignored with a warning: the catalogue falls back to the rules alone.
    (corpus / "entities.yaml").write_text("entities: [unclosed\n", encoding="utf-8")
    report = indexed.ingestor.ingest([corpus])
    assert not report.failed, report.failed
    assert not indexed.entities.page(query="UNFCCC")[0]
    assert _by_name(indexed, "Caribbean Resilience Fund").type == "fund"
