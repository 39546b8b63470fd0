"""A GGUF model in process through llama-cpp-python, for a machine with no chat server.

Optional (the `local-llm` extra) and slow: a 1.5B model on two CPU cores takes minutes per answer.
The model file is one the user points at; nothing is downloaded."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from assistant.answering.chat_generator import ChatGenerator, Messages
from assistant.errors import BackendUnavailable
from assistant.settings import AnswerSettings


class LlamaCppGenerator(ChatGenerator):
    name = "llama-cpp"

    def __init__(self, options: AnswerSettings) -> None:
        settings = options.llama_cpp
        if settings.model_path is None or not settings.model_path.is_file():
            raise BackendUnavailable(
                "the llama-cpp generator needs a GGUF file: set SSC_ANSWER__LLAMA_CPP__MODEL_PATH "
                f"to one on disk (now {settings.model_path})"
            )
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise BackendUnavailable(
                "the llama-cpp generator needs llama-cpp-python: pip install 'ssc-assistant[local-llm]' "
                "(it compiles from source, ~20 minutes on two cores)"
            ) from exc
        self.prompts_dir = options.prompts_dir
        self._max_tokens = settings.max_tokens
        self._model: Any = Llama(
            model_path=str(settings.model_path),
            n_ctx=settings.context_tokens,
            n_threads=settings.threads,
            verbose=False,
        )
        self._lock = threading.Lock()  # one generation at a time: a context is not re-entrant

    def stream(self, messages: Messages) -> Iterator[str]:
        with self._lock:
            for chunk in self._model.create_chat_completion(
                messages=messages, temperature=0, max_tokens=self._max_tokens, stream=True
            ):
                content = chunk["choices"][0]["delta"].get("content")
                if content:
                    yield content
