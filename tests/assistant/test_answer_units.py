"""What an extractive answer can be built from, and the checks of what a question asks for."""

from __future__ import annotations

from assistant.answering.answer_checks import expected_kind, holds_kind, missing_names, names, new_names
from assistant.answering.emphasis import emphasise, plain
from assistant.answering.extractive import ExtractiveGenerator
from assistant.answering.responder import _ends
from assistant.answering.sentences import leans_back, units
from assistant.retrieval.passages import Passage
from ingest.models import Chunk


def _passage(text: str, title: str = "Work programme 2017", language: str = "en") -> Passage:
    chunk = Chunk("c1", "doc", 0, text, 1, 1, "1. Funding", "text", language)
    return Passage(chunk, title, 1.0)


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
    assert expected_kind("Desde que ano o fundo registra os projetos?") == "date"  # since which year
    assert expected_kind("¿Qué periodo cubre el mapeo?") == "date"
    assert expected_kind("What period do the mapped relations cover?") == "date"
    assert expected_kind("Quantos anos durou o programa?") == "count"  # "que ano" is no "anos"
    assert expected_kind("What does the PGTF support?") is None
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


def test_questions_asking_for_names_prefer_units_that_list_them() -> None:
    assert expected_kind("Which funds finance triangular cooperation?") == "names"
    assert expected_kind("Which disaster management bodies does the portal highlight?") == "names"
    assert expected_kind("¿Qué organismos apoyan la cooperación Sur-Sur?") == "names"
    assert expected_kind("Quem organizou a oficina regional?") == "names"
    question = "Which bodies does SELA's disaster portal highlight?"
    assert new_names("Entities such as CAPRADE, CDEMA, SELA and Chile.", question) == 3
    passage = _passage(
        "The portal gathers information on public-private partnerships in the region.\n"
        "Information from CAPRADE, CDEMA and CEPREDENAC is disseminated through the portal."
    )
    draft = ExtractiveGenerator(max_units=1).draft(question, [passage])
    assert [d.text for d in draft] == [
        "Information from CAPRADE, CDEMA and CEPREDENAC is disseminated through the portal."
    ]


def test_a_sentence_that_points_back_comes_with_the_one_before() -> None:
    assert leans_back("Moreover the Spain-SEGIB Fund contributes to the report.")
    assert leans_back("It implies that both partners learn from each other.")
    assert leans_back("Além disso, o fundo financia projetos.") and leans_back("Asimismo, el fondo apoya.")
    assert not leans_back("Italy contributes to the fund.") and not leans_back("Thistle is a plant.")
    passage = _passage(
        "The secretariat is based in Caracas and has a staff of forty people.\n"
        "Funding for the cooperation programme comes from member contributions and the regular budget.\n"
        "Moreover the Joint Fund pays for the annual report.\n"
        "The council meets every year in October to approve the work programme.\n"
        "Member states appoint a focal point for each of the thematic areas."
    )
    draft = ExtractiveGenerator(max_units=1).draft("How is the cooperation programme funded?", [passage])
    assert [d.text for d in draft] == [
        "Funding for the cooperation programme comes from member contributions and the regular budget.",
        "Moreover the Joint Fund pays for the annual report.",
    ]


def test_titles_and_copyright_lines_are_not_answers() -> None:
    passage = _passage(
        "Regional workshop on funds for financing South-South cooperation in Latin America.\n"
        "Copyright © SELA, July 2011. All rights reserved to the Permanent Secretariat.\n"
        "The workshop recommended a regional fund for South-South cooperation financed by members.",
        title="Regional workshop on funds for financing South-South cooperation in Latin America",
    )
    draft = ExtractiveGenerator().draft("What did the workshop on funds recommend?", [passage])
    assert [d.text for d in draft] == [
        "The workshop recommended a regional fund for South-South cooperation financed by members."
    ]


def test_most_of_a_short_paragraph_brings_the_rest_of_it() -> None:
    passage = _passage(
        "The first window is financed from the net income of the special fund.\n"
        "Moreover, each operation is capped at twenty thousand dollars.\n"
        "The second window takes the form of ordinary capital investment."
    )
    draft = ExtractiveGenerator(max_units=1).draft("How is the first window financed and capped?", [passage])
    assert len(draft) == 3 and draft[2].text.startswith("The second window")


def test_answer_types_are_read_from_questions_in_three_languages() -> None:
    asked = {
        "How many agreements were reached at the roundtable?": "count",
        "¿Cuántos acuerdos se lograron?": "count",
        "Quantos países participaram da mesa-redonda?": "count",
        "Where was the negotiation round held?": "place",
        "¿Dónde se celebró el taller regional?": "place",
        "Onde aconteceu a oficina?": "place",
        "Why did the Executive Board worry about the fund?": "reason",
        "¿Por qué se creó el fondo especial?": "reason",
        "What is meant by triangular cooperation?": "definition",
        "¿Qué es la cooperación triangular?": "definition",
        "O que é a cooperação triangular?": "definition",
        "Is Chile a member of the joint fund?": "yes_no",
        "¿Qué agencias apoyan a Paraguay?": "names",
        "Em que ano começou a parceria?": "date",
        "What does the PGTF support?": None,
        # The opening question word decides, unless a second one follows it.
        "Who pays for the Task Team's budget?": "names",
        "¿Dónde y cuándo se realizó la reunión regional?": "date",
    }
    assert {question: expected_kind(question) for question in asked} == asked
    assert holds_kind("The workshop took place in Mexico City.", "place")
    assert not holds_kind("the workshop took place online.", "place")
    assert holds_kind("The fund was created because demand had grown.", "reason")
    assert names("What is the 'Keeping Boys Out of Risk' initiative?") == ["keeping boys out of risk"]


def test_an_abbreviation_list_is_terms_and_meanings_not_a_header_and_its_rows() -> None:
    glossary = (
        "AAA\tAccra Agenda for Action\nAECID\tAgencia Española de Cooperación\nCARICOM\tCaribbean Community"
    )
    assert [u.text for u in units(glossary, "table")] == [
        "AAA: Accra Agenda for Action",
        "AECID: Agencia Española de Cooperación",
        "CARICOM: Caribbean Community",
    ]
    table = "Country\tDemands\nBrazil\t18\nChile\t3"
    assert [u.text for u in units(table, "table")] == [
        "Country: Brazil; Demands: 18",
        "Country: Chile; Demands: 3",
    ]


def test_footnote_calls_and_leftover_markup_stay_out_of_the_answer_text() -> None:
    text = (
        "The FEMCIDI is a voluntary fund that takes donations from DAC countries.^1^1^2\n"
        '<table border="1"> <tr> <td>Expression of Interest</td> </tr> </table>'
    )
    found = units(text, "text")
    assert [(u.quote, u.text) for u in found] == [
        (
            "The FEMCIDI is a voluntary fund that takes donations from DAC countries.^1^1^2",
            "The FEMCIDI is a voluntary fund that takes donations from DAC countries.",
        )
    ]


def test_the_unit_that_answers_best_comes_first() -> None:
    passage = _passage(
        "The roundtable brought together focal points of the regional initiative in Brasilia.\n"
        "A total of 82 agreements were reached at the roundtable in Brasilia."
    )
    draft = ExtractiveGenerator().draft(
        "How many agreements were reached at the roundtable in Brasilia?", [passage]
    )
    assert draft[0].text == "A total of **82** agreements were reached at the roundtable in Brasilia."


def test_a_quote_in_another_language_is_framed_in_the_questions_language() -> None:
    passage = _passage("A total of 82 agreements were reached at the roundtable in Brasilia.")
    draft = ExtractiveGenerator().draft(
        "¿Cuántos acuerdos se alcanzaron en la mesa redonda de Brasilia?", [passage]
    )
    assert draft[0].text == (
        "Según la fuente (en inglés): A total of 82 agreements were reached at the roundtable in Brasilia."
    )
    assert draft[0].quote == "A total of 82 agreements were reached at the roundtable in Brasilia."
    same = ExtractiveGenerator().draft(
        "How many agreements were reached at the roundtable in Brasilia?", [passage]
    )
    assert same[0].text == "A total of **82** agreements were reached at the roundtable in Brasilia."


def test_the_asked_value_is_in_bold_only_when_it_is_clearly_the_one_asked() -> None:
    question = "How many agreements were reached at the roundtable?"
    assert emphasise(
        "A total of 82 agreements were reached: 60 expressions of interest.", "count", question
    ) == ("A total of **82** agreements were reached: 60 expressions of interest.")
    members = "Twenty-two of the 25 country members took part."
    assert emphasise(members, "count", question) == members
    assert emphasise(members, "count", "How many countries took part?") == (
        "**Twenty-two** of the 25 country members took part."
    )
    assert emphasise("The fund gave US$ 2.5 million in 2010.", "amount", "How much?") == (
        "The fund gave **US$ 2.5 million** in 2010."
    )
    assert (
        emphasise("It met on 28 and 29 July 2011.", "date", "When?") == "It met on 28 and 29 July **2011**."
    )
    assert plain("A total of **82** agreements") == "A total of 82 agreements"
    row = "Country: Bolivia; Demands: 4; Agreements reached: 0"
    assert emphasise(row, "count", question) == "Country: Bolivia; Demands: 4; Agreements reached: **0**"
    passage = _passage("A total of 82 agreements were reached at the roundtable in Brasilia.")
    draft = ExtractiveGenerator().draft(
        "How many agreements were reached at the roundtable in Brasilia?", [passage]
    )
    assert draft[0].text == "A total of **82** agreements were reached at the roundtable in Brasilia."
    assert draft[0].quote == "A total of 82 agreements were reached at the roundtable in Brasilia."


def test_a_quote_across_a_page_break_narrows_to_its_longest_part_on_one_page() -> None:
    page_one_ends = "the triangular project between Chile, Haiti and the Dominican"
    page_two_starts = "Republic with a grant of two million dollars."
    quote = f"{page_one_ends} {page_two_starts}"
    ends = _ends(quote)
    assert len(ends[0]) == len(quote) - len("the ")
    assert [len(part) for part in ends] == sorted((len(part) for part in ends), reverse=True)
    on_a_page = [part for part in ends if part in page_one_ends or part in page_two_starts]
    assert on_a_page[0] == page_one_ends
