"""The gate for sentences a language model writes from evidence units: the misreadings a small
model makes (a number, a negation, a name) are dropped; a sentence in another language than its
evidence is checked on numbers and names; missing or wrong markers are attributed to the unit
that backs the sentence."""

from assistant.answering.models import DraftSentence
from assistant.answering.written_checks import Evidence, attributed

QUESTION = "How many agreements were reached in the negotiation round?"
ROUND = Evidence(
    passage=2,
    text="A total of 82 agreements were reached: 60 on technical assistance and 22 on training.",
    quote="A total of 82 agreements were reached: 60 on technical assistance and 22 on training.",
    language="en",
    where="Final report",
)
BRAZIL = Evidence(
    passage=1,
    text="Brazil agreed with Paraguay to exchange experts on social protection registries.",
    quote="Brazil agreed with Paraguay to exchange experts on social protection registries.",
    language="en",
    where="Regional Fund Report",
)
EVIDENCE = [BRAZIL, ROUND]


def _check(text: str, *markers: int, question: str = QUESTION) -> DraftSentence | None:
    return attributed(DraftSentence(text, markers), EVIDENCE, question)


def test_a_supported_sentence_is_cited_to_its_units_passage_with_the_units_quote() -> None:
    kept = _check("A total of 82 agreements were reached in the round.", 2)
    assert kept == DraftSentence("A total of 82 agreements were reached in the round.", (2,), ROUND.quote)


def test_a_number_the_unit_does_not_give_is_dropped() -> None:
    assert _check("A total of 28 agreements were reached.", 2) is None
    assert _check("A total of 82,000 agreements were reached.", 2) is None


def test_a_negation_the_unit_does_not_make_is_dropped() -> None:
    assert _check("Brazil did not agree with Paraguay to exchange experts on registries.", 1) is None
    assert _check("Brazil agreed with Paraguay to exchange experts on registries.", 1) is not None


def test_negation_is_read_in_the_sentences_own_language() -> None:
    question = "Quantos acordos foram alcançados?"
    # Portuguese "no" is "in the": not a negation the unit would have to make.
    assert _check("Foram alcançados 82 acordos no total da rodada.", 2, question=question) is not None
    assert _check("Não foram alcançados 82 acordos na rodada.", 2, question=question) is None
    assert _check("No se alcanzaron 82 acuerdos en la ronda.", 2, question="¿Cuántos acuerdos?") is None


def test_a_name_the_unit_does_not_give_is_dropped() -> None:
    assert (
        _check("Brazil agreed with Bolivia to exchange experts on social protection registries.", 1) is None
    )


def test_across_languages_names_match_in_their_own_spelling() -> None:
    spanish = "Brasil acordó con Paraguay intercambiar expertos en registros de protección social."
    assert _check(spanish, 1, question="¿Qué acordó Brasil con Paraguay?") is not None
    swapped = "Brasil acordó con Chile intercambiar expertos en registros de protección social."
    assert _check(swapped, 1, question="¿Qué acordó Brasil con Paraguay?") is None
    portuguese = "Foram alcançados 82 acordos na rodada de negociação."
    kept = _check(portuguese, question="Quantos acordos foram alcançados?")
    assert kept is not None and kept.markers == (2,)


def test_a_sentence_without_markers_or_citing_the_wrong_unit_goes_to_the_unit_that_backs_it() -> None:
    assert _check("Brazil agreed with Paraguay to exchange experts.").markers == (1,)  # type: ignore[union-attr]
    assert _check("A total of 82 agreements were reached.", 1).markers == (2,)  # type: ignore[union-attr]
    assert _check("A total of 82 agreements were reached.", 7).markers == (2,)  # type: ignore[union-attr]


def test_a_sentence_made_of_other_words_is_dropped() -> None:
    assert _check("The round was a great success for all delegations involved.", 2) is None


def test_numbers_are_compared_by_value_across_ways_of_writing_them() -> None:
    text = "O Fundo financia iniciativas no valor de até 300 mil euros, assinado em 17 de outubro de 1975."
    fund = Evidence(passage=3, text=text, quote=text, language="pt", where="Notícias")
    question = "Up to what amount does the Fund finance an initiative?"
    for said in (
        "The Fund finances initiatives of up to 300,000 euros.",
        "It was signed on October 17, 1975.",
    ):
        assert attributed(DraftSentence(said, (1,)), [fund], question) is not None, said
    for wrong in ("The Fund finances initiatives of up to 300 euros.", "It was signed on November 17, 1975."):
        assert attributed(DraftSentence(wrong, (1,)), [fund], question) is None, wrong
    # A count in words is a number too: "two workshops" from a unit that never says two.
    assert _check("Two agreements were reached on training.", 2) is None
    assert _check("Twenty-two agreements were reached on training.", 2) is not None
    millions = Evidence(
        1, "Brasil aportó 2 milhões de reais.", "Brasil aportó 2 milhões de reais.", "pt", "p. 1"
    )
    assert attributed(DraftSentence("Brazil gave 2,000,000 reais.", ()), [millions], question) is not None


def test_a_sentence_that_only_restates_the_question_is_dropped() -> None:
    question = "¿Qué acordó Brasil con Paraguay?"
    assert _check("Según la fuente (en inglés), Brasil acordó con Paraguay.", 1, question=question) is None
    kept = _check("Brasil acordó con Paraguay intercambiar expertos.", 1, question=question)
    assert kept is not None
