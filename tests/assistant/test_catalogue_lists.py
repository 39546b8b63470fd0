"""List questions answered from the catalogue ("which funds…"), and entity spans in answers: the
real store, model and catalogue, over a report that names one fund per section."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answering.listing import _on_topic
from assistant.answering.models import Answer
from assistant.wiring import Assistant
from ingest.text_analysis import fold

pytestmark = pytest.mark.slow

FUNDS = {
    "Andean Solidarity Fund": "water management in the highlands",
    "Mesoamerican Water Fund": "drought preparedness in the dry corridor",
    "Amazon Knowledge Fund": "forest monitoring with indigenous communities",
    "Pacific Ports Fund": "customs modernisation in port cities",
    "Southern Cone Training Fund": "vocational training for young workers",
    "Antilles Health Fund": "primary health care in small islands",
    "Orinoco Education Fund": "bilingual schooling in river towns",
}
FILLER = (
    "Its board meets twice a year and publishes the list of approved projects with their budgets. "
    "Applications are received through the national focal points for international cooperation, "
    "which check them against the priorities agreed by the members in the annual meeting."
)


def _report() -> str:
    sections = [
        f"## {n}. {name}\n\nThe {name} finances triangular projects on {topic}. {FILLER}\n"
        for n, (name, topic) in enumerate(FUNDS.items(), start=1)
    ]
    return "# Financing triangular cooperation in the region\n\n" + "\n".join(sections)


@pytest.fixture
def listed(indexed: Assistant, corpus: Path) -> Assistant:
    (corpus / "financing-report.md").write_text(_report(), encoding="utf-8")
    report = indexed.ingestor.ingest([corpus])
    assert not report.failed, report.failed
    return indexed


def _funds_cited(answer: Answer) -> set[str]:
    """Funds the answer names whose name is also in one of its quotes."""
    quotes = " ".join(c.quote for c in answer.citations)
    return {name for name in FUNDS if name in answer.text and name in quotes}


def test_a_list_question_gathers_every_fund_the_passages_name_each_cited(listed: Assistant) -> None:
    question = "Which funds finance triangular projects?"
    with_lists = listed.responder.ask(question)
    without = replace(listed.responder, catalogue_lists=False).ask(question)
    assert not with_lists.abstained and not without.abstained
    # The generator keeps its few best sentences; the catalogue adds the other funds, each quoted.
    assert len(_funds_cited(without)) < len(_funds_cited(with_lists))
    assert len(_funds_cited(with_lists)) >= 6
    for name in _funds_cited(with_lists):
        assert any(name in c.quote and c.document_id == "financing-report" for c in with_lists.citations)
    assert {"fund"} <= {e.type for e in with_lists.entities}
    # Across documents: the other report's fund finances triangular cooperation too.
    assert "Caribbean Resilience Fund" in with_lists.text
    assert any(c.document_id == "regional-fund-report" for c in with_lists.citations)


def test_questions_that_ask_for_no_type_get_no_catalogue_list(listed: Assistant) -> None:
    question = "How often does the board of the Pacific Ports Fund meet?"
    with_lists = listed.responder.ask(question)
    without = replace(listed.responder, catalogue_lists=False).ask(question)
    assert with_lists.text == without.text


def test_answer_entities_carry_the_spans_where_the_answer_names_them(listed: Assistant) -> None:
    answer = listed.responder.ask("Which funds finance triangular projects?")
    marked = [e for e in answer.entities if e.spans]
    assert {e.type for e in marked} >= {"fund"}
    for ref in marked:
        entity = listed.entities.get(ref.id)
        assert entity is not None
        names = {fold(n) for n in (entity.name, *entity.aliases)}
        for start, end in ref.spans:
            assert fold(answer.text[start:end]) in names, (ref.name, answer.text[start:end])


def test_a_list_item_must_share_the_questions_topic_not_one_common_word() -> None:
    texts = [
        "The Andes Fund pays for rural schools.",  # a rare topic word: "pays"
        "The Ministry of Social Development answered the questionnaire.",  # only "development"
        "Development projects need partners.",  # two common topic words
        "The PGTF and development go together.",  # one common word, but the asked entity too
        *[f"Development project {n} was discussed." for n in range(8)],
    ]
    pgtf = [("PGTF", "fund:pgtf", 1)]
    on_topic = _on_topic("Which funds pay for development projects of the PGTF?", pgtf, texts)
    assert on_topic[:4] == [True, False, True, True]
