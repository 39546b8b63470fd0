"""An OpenAI-compatible chat server as the writer (OpenAI, Azure, Ollama, vLLM, LM Studio, a
llama.cpp server), through the official `openai` client: the same evidence-first prompt as the
local model."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from assistant.answering.writer import ChatWriter, Messages
from assistant.errors import BackendUnavailable
from assistant.settings import AnswerSettings


class OpenAIChatWriter(ChatWriter):
    name = "openai"

    def __init__(self, options: AnswerSettings) -> None:
        try:
            import openai
        except ImportError as exc:
            raise BackendUnavailable(
                "the OpenAI-compatible writer needs the openai package: pip install openai"
            ) from exc
        self.prompts_dir = options.prompts_dir
        self._settings = options.openai
        self._client: Any = openai.OpenAI(
            base_url=self._settings.base_url,
            api_key=self._settings.api_key.get_secret_value(),
            timeout=self._settings.timeout_seconds,
            max_retries=1,
        )

    def stream(self, messages: Messages, cancelled: threading.Event | None = None) -> Iterator[str]:
        import openai

        try:
            chunks = self._client.chat.completions.create(
                model=self._settings.model,
                messages=messages,
                temperature=0,
                max_tokens=self._settings.max_tokens,
                stream=True,
            )
            for chunk in chunks:
                if cancelled is not None and cancelled.is_set():
                    chunks.close()  # drops the connection: the server stops generating
                    return
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except openai.OpenAIError as exc:
            raise BackendUnavailable(f"the chat model at {self._settings.base_url} failed: {exc}") from exc
