"""Questions answered by computing over a parsed table, with the real embedder choosing the column
and the grounding gate checking that every cited row is quoted verbatim."""

from __future__ import annotations

from assistant.answering.extractive import ExtractiveGenerator
from assistant.answering.grounding import ground
from assistant.answering.table_answers import as_number, parse_table, read_ask
from assistant.retrieval.passages import Passage
from ingest.embedders import Embedder
from ingest.models import Chunk

TABLE = "\n".join(
    [
        "Table 1 General results of the negotiation round",
        "Demand for cooperation expressed by:\tDemands\tAgreements reached",
        "Bahamas\t4\t3",
        "Brazil\t18\t17",
        "Bolivia\t4\t0",
        "Chile\t4\t1",
        "Guyana\t4\t1",
        "Nicaragua\t7\t6",
        "Paraguay\t5\t5",
        "TOTAL\t50\t33",
    ]
)
PROSE = "The negotiation round brought together cooperation agencies of the region for three days."


def _passages() -> list[Passage]:
    table = Chunk("t1", "doc", 0, TABLE, 4, 4, "3. Main results", "table", "en")
    prose = Chunk("p1", "doc", 1, PROSE, 3, 3, "3. Main results", "text", "en")
    return [Passage(table, "Final report", 1.0), Passage(prose, "Final report", 0.9)]


def test_questions_name_the_computation_they_ask_for() -> None:
    assert read_ask("Apart from Brazil, which country put forward the most demands?", "en").operation == "max"
    assert (
        read_ask("Apart from Brazil, which country put forward the most demands?", "en").excluded == "brazil"
    )
    assert read_ask("¿Qué países lograron el menor número de acuerdos?", "es").operation == "min"
    assert read_ask("Quais países tiveram exatamente cinco demandas?", "pt").value == 5
    assert read_ask("How many agreements were reached in total?", "en").operation == "sum"
    assert read_ask("Where was the roundtable held?", "en") is None
    assert as_number("1,250") == 1250 and as_number("46,74") == 46.74 and as_number("48%") == 48
    table = parse_table(TABLE)
    assert table is not None and table.header[2] == "Agreements reached" and len(table.rows) == 8


def test_a_maximum_after_leaving_a_row_out_cites_the_row(embedder: Embedder) -> None:
    passages = _passages()
    generator = ExtractiveGenerator(embedder)
    draft = generator.draft("Apart from Brazil, which country put forward the most demands?", passages)
    assert draft[0].text.startswith("**Nicaragua**: 7, the highest Demands in the table (leaving out brazil)")
    text, citations = ground(draft, passages)
    assert (
        text.startswith("**Nicaragua**: 7")
        and citations[0].quote == "Nicaragua\t7\t6"
        and citations[0].page == 4
    )
    assert "TOTAL" not in draft[0].text


def test_a_minimum_in_spanish_finds_the_column_across_languages_and_lists_ties(embedder: Embedder) -> None:
    passages = _passages()
    question = "Sin contar a Bolivia, ¿qué países lograron menos acuerdos en la ronda de negociación?"
    draft = ExtractiveGenerator(embedder).draft(question, passages)
    assert draft[0].text.startswith(
        "**Chile, Guyana**: 1, el valor más bajo de «Agreements reached» en la tabla"
    )
    assert [d.quote for d in draft[:2]] == ["Chile\t4\t1", "Guyana\t4\t1"]


def test_rows_with_a_value_and_a_total(embedder: Embedder) -> None:
    passages = _passages()
    generator = ExtractiveGenerator(embedder)
    equal = generator.draft("Which countries put forward exactly four demands?", passages)
    assert equal[0].text == "Demands is 4 for: **Bahamas, Bolivia, Chile, Guyana**."
    total = generator.draft("How many agreements were reached in total across the countries?", passages)
    assert total[0].text == "Agreements reached, all rows added up: **33** (7 rows)."


def test_no_computed_answer_without_a_table_that_singles_out_a_row(embedder: Embedder) -> None:
    prose_only = _passages()[1:]
    draft = ExtractiveGenerator(embedder).draft("Which country put forward the most demands?", prose_only)
    assert not any("the highest" in d.text for d in draft)
    flat = _passages()
    flat[0] = Passage(
        Chunk("t2", "doc", 0, "Country\tDemands\nChile\t1\nPeru\t1\nCuba\t1", 4, 4, "3", "table", "en"),
        "Report",
        1.0,
    )
    # One value in every row singles none out: no computed answer.
    assert all(
        "the highest" not in d.text
        for d in ExtractiveGenerator(embedder).draft("Which country put forward the most demands?", flat)
    )
