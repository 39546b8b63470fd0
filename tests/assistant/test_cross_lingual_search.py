"""Search across languages in a corpus that holds all three: the real model over real Spanish,
Portuguese and English web documents (the bench's), with a few passages the tests wrote.

In such a corpus every passage in the question's language used to outrank the passage that
answers it in another language: each of these questions failed that way before the fusion scored
all languages on one scale (`retrieval/language_centring.py`)."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings
from assistant.wiring import Assistant, build
from ingest.embedders import Embedder
from tests.conftest import LOCAL, REPORT_EN, REPORT_ES

pytestmark = pytest.mark.slow

WEB = Path(__file__).resolve().parents[2] / "eval" / "bench" / "web"

# On a topic the Portuguese pages also cover (human milk banks, Brazilian cooperation).
PROGRAMME_ES = """# Programa trilateral de bancos de leche humana

## Resultados del programa

La Agencia Brasileña de Cooperación y el Ministerio de Salud de Guatemala firmaron en 2018 un programa
de cooperación triangular con Alemania para fortalecer la red nacional de bancos de leche humana.
El programa formó a 140 profesionales de salud y abrió cuatro nuevos bancos en hospitales públicos de
Quetzaltenango, Escuintla, Cobán y Zacapa.
"""


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    root = tmp_path_factory.mktemp("mixed")
    corpus = root / "corpus"
    corpus.mkdir()
    for path in WEB.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    (corpus / "regional-fund-report.md").write_text(REPORT_EN, encoding="utf-8")
    (corpus / "informe-migracion.txt").write_text(REPORT_ES, encoding="utf-8")
    (corpus / "programa-bancos-leche.md").write_text(PROGRAMME_ES, encoding="utf-8")
    built = build(Settings(data_dir=root / "data", corpus_dir=corpus, access=LOCAL), embedder=embedder)
    report = built.ingestor.ingest([corpus])
    assert not report.failed, report.failed
    yield built
    built.close()


def test_the_corpus_holds_three_languages_with_centres(mixed: Assistant) -> None:
    centres = mixed.searcher.centres.centres()
    assert set(centres) == {"en", "es", "pt"}


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # Spanish questions, English answers, among Spanish pages on cooperation and funds.
        (
            "¿Qué fondo financia la cooperación triangular entre los estados del Caribe?",
            "Caribbean Resilience Fund",
        ),
        ("¿Cuántos acuerdos alcanzó Brasil en la ronda?", "Brazil\t18\t17"),
        ("¿Qué acordó Chile con Guatemala?", "Chile agreed with Guatemala"),
        # Portuguese questions, English answers.
        ("O que o México acordou com Honduras?", "Mexico agreed with Honduras"),
        ("Qual país não alcançou nenhum acordo na rodada de negociação?", "Bolivia\t4\t0"),
        # Portuguese questions, Spanish answers, among Portuguese pages on the same programmes.
        (
            "Quantos profissionais de saúde o programa de bancos de leite humano capacitou na Guatemala?",
            "140 profesionales",
        ),
        (
            "Com quais países o Brasil fez cooperação triangular para bancos de leite na Guatemala?",
            "con Alemania",
        ),
    ],
)
def test_a_question_finds_its_answer_in_another_language(
    mixed: Assistant, question: str, answer: str
) -> None:
    top = mixed.searcher.search(question, k=3)
    assert any(answer in passage.text for passage in top), [p.text[:80] for p in top]
