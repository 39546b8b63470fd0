"""What an extractive answer can be built from, and the checks of what a question asks for."""

from __future__ import annotations

from assistant.answering.answer_checks import expected_kind, holds_kind, missing_names, names
from assistant.answering.sentences import units


def test_a_lead_in_is_quoted_together_with_the_items_it_introduces() -> None:
    text = (
        "The roundtable lasted three days in Brasilia.\n"
        "The methodology had three parts:\n"
        "- i) thematic conferences;\n"
        "- ii) an opportunities market;\n"
        "- iii) a negotiation round.\n"
        "A closing lead-in with nothing after it:"
    )
    found = {unit.quote: unit.text for unit in units(text, "text")}
    block = "The methodology had three parts:\n- i) thematic conferences;\n- ii) an opportunities market;"
    assert found[block + "\n- iii) a negotiation round."].startswith("The methodology had three parts: - i)")
    assert "A closing lead-in with nothing after it:" not in found
    assert all(quote in text for quote in found)


def test_questions_asking_for_amounts_counts_and_dates() -> None:
    assert expected_kind("How much money is CAF putting into Phase III?") == "amount"
    assert expected_kind("¿Cuánto invierte Chile al año?") == "amount"
    assert expected_kind("Quantos países participaram?") == "count"
    assert expected_kind("¿Cuándo entrega el SELA el estudio?") == "date"
    assert expected_kind("Which funds finance triangular cooperation?") is None
    assert holds_kind("a contribution of US$ 2.5 million", "amount")
    assert not holds_kind("CAF co-sponsors Phase II of the programme", "amount")
    assert holds_kind("seven demands", "count") and not holds_kind("several demands", "count")
    assert holds_kind("en el mes de noviembre", "date") and not holds_kind("next phase", "date")


def test_names_in_a_question_are_looked_up_in_the_passages() -> None:
    question = "Does the African Development Bank work with Chile's FOSIS and SEGIB's Ibero-American Program?"
    assert names(question) == ["african development bank", "ibero-american program"]
    passages = ["The IBERO-AMERICAN\nProgram is run by SEGIB.", "Chile's FOSIS cooperates with Brazil."]
    assert missing_names(question, passages) == ["african development bank"]


def test_footnote_lines_are_not_answer_units() -> None:
    text = (
        "Funding comes from participant country contributions and one percent of the budget.\n"
        '115 "SEGIB – Programa Iberoamericana de Cooperación Sur-Sur." The South-South Opportunity.\n'
        "Ibid., page 12 of the annual report on cooperation.\n"
        "12 countries offered experiences on the topic of child labour."
    )
    found = [u.text for u in units(text, "text")]
    assert found == [
        "Funding comes from participant country contributions and one percent of the budget.",
        "12 countries offered experiences on the topic of child labour.",
    ]
