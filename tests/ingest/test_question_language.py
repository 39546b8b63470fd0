"""A question's language, including the few-word questions the statistical identifier gets wrong
(it called "Quais fundos?" and "¿Y el PNUD?" English)."""

import pytest

from ingest.language import question_language


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Quais fundos?", "pt"),
        ("E a ABC?", "pt"),
        ("Cooperação triangular", "pt"),
        ("onde", "pt"),
        ("¿Y el PNUD?", "es"),
        ("dónde", "es"),
        ("¿Cuántos acuerdos?", "es"),
        ("Which funds?", "en"),
        ("Who funds the CRF?", "en"),
        ("¿Qué acordó Brasil con Paraguay?", "es"),
        ("Quantos acordos foram alcançados na rodada de negociação?", "pt"),
        ("Which funds finance triangular cooperation in the Caribbean?", "en"),
    ],
)
def test_short_and_long_questions(question: str, language: str) -> None:
    assert question_language(question) == language


def test_a_question_quoting_a_name_in_another_language() -> None:
    # The statistical identifier calls both Portuguese, misled by the quoted name.
    assert (
        question_language("What does the Agência Brasileira de Cooperação fund in the Caribbean region?")
        == "en"
    )
    assert question_language("¿Qué financia la Agência Brasileira de Cooperação en el Caribe?") == "es"
