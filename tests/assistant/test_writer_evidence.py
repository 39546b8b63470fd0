"""The window a language model reads of a long unit: the part that speaks to the question."""

from __future__ import annotations

from assistant.answering.writer_evidence import _prefixes, window

_BEFORE = "The meeting opened with remarks by the host delegation on the history of the forum. " * 3
_FACT = "A total of 82 agreements were reached between the participating delegations. "
_AFTER = "Participants later visited projects in the capital and thanked the organisers. " * 3


def test_a_long_unit_is_cut_to_the_words_the_question_asks_about() -> None:
    text = _BEFORE + _FACT + _AFTER
    shown = window(text, _prefixes("How many agreements were reached?"), 150)
    assert "82 agreements were reached" in shown
    assert len(shown) <= 150 + 4
    # Cut at both ends, and said so; what is left is the unit's own words.
    assert shown.startswith("… ") and shown.endswith(" …")
    assert shown.removeprefix("… ").removesuffix(" …") in text


def test_a_spanish_question_finds_its_english_cognates() -> None:
    text = (
        "The report reviews budgets of regional bodies and the calendar of their meetings in detail. "
        * 2
        + "Triangular cooperation in the Caribbean is financed by the Spanish Fund and the Mexican Fund."
    )
    shown = window(text, _prefixes("¿Qué fondos financian la cooperación triangular en el Caribe?"), 150)
    assert "Triangular cooperation in the Caribbean is financed" in shown


def test_a_short_unit_is_read_whole_and_a_table_keeps_its_lines() -> None:
    assert window("Brazil: 18 demands.", _prefixes("How many demands?"), 150) == "Brazil: 18 demands."
    rows = "\n".join(f"Country: Member {n}; Demands: {n}; Agreements reached: {n}" for n in range(1, 9))
    shown = window(rows, _prefixes("How many agreements were reached?"), 150)
    assert "\n" in shown and shown.strip(" …") in rows
