"""The in-process GGUF generator: a clear error without a model here; a real answer where the
`local-llm` extra and a model file are installed (SSC_TEST_GGUF points at it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.answering.llama_cpp_chat import LlamaCppGenerator
from assistant.answering.responder import Responder
from assistant.errors import BackendUnavailable
from assistant.settings import AnswerSettings, LlamaCppSettings
from assistant.wiring import Assistant

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


def test_without_a_model_file_the_error_says_how_to_supply_one(tmp_path: Path) -> None:
    options = AnswerSettings(
        generator="llama-cpp", llama_cpp=LlamaCppSettings(model_path=tmp_path / "no.gguf")
    )
    with pytest.raises(BackendUnavailable, match="SSC_ANSWER__LLAMA_CPP__MODEL_PATH"):
        LlamaCppGenerator(options)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("SSC_TEST_GGUF"), reason="needs the local-llm extra and SSC_TEST_GGUF=<model.gguf>"
)
def test_a_local_model_answers_with_grounded_citations(indexed: Assistant) -> None:
    pytest.importorskip("llama_cpp")
    options = AnswerSettings(
        generator="llama-cpp",
        prompts_dir=PROMPTS,
        llama_cpp=LlamaCppSettings(model_path=Path(os.environ["SSC_TEST_GGUF"]), max_tokens=120),
    )
    answer = Responder(indexed.searcher, LlamaCppGenerator(options)).ask(
        "What did Brazil agree with Paraguay?"
    )
    assert not answer.abstained and answer.citations
    for citation in answer.citations:
        assert citation.quote in indexed.store.chunks([citation.chunk_id])[citation.chunk_id].text
