"""An OpenAI-compatible chat model as the generator, through the official `openai` client.

Its sentences are not trusted: the grounding gate checks each one against the passage it cites."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.answering.models import DraftSentence
from assistant.answering.prompts import LANGUAGE_NAMES, numbered_passages, render
from assistant.errors import BackendUnavailable
from assistant.retrieval.passages import Passage
from assistant.settings import AnswerSettings
from ingest.language import detect_language

_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)(?:\s*\[\d+\])*")
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class OpenAIChatGenerator:
    options: AnswerSettings
    name: str = "openai"
    _client: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        try:
            import openai
        except ImportError as exc:
            raise BackendUnavailable(
                "the OpenAI-compatible generator needs the openai package: pip install openai"
            ) from exc
        settings = self.options.openai
        self._client = openai.OpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key.get_secret_value(),
            timeout=settings.timeout_seconds,
            max_retries=1,
        )

    def draft(self, question: str, passages: list[Passage]) -> list[DraftSentence]:
        return parse_answer(self.complete(question, passages))

    def complete(self, question: str, passages: list[Passage]) -> str:
        import openai

        language = LANGUAGE_NAMES.get(detect_language(question), "English")
        folder = self.options.prompts_dir
        messages = [
            {"role": "system", "content": render("system", folder, language=language)},
            {
                "role": "user",
                "content": render(
                    "answer",
                    folder,
                    passages=numbered_passages(passages),
                    question=question,
                    language=language,
                ),
            },
        ]
        try:
            response = self._client.chat.completions.create(
                model=self.options.openai.model,
                messages=messages,
                temperature=0,
                max_tokens=self.options.openai.max_tokens,
            )
        except openai.OpenAIError as exc:
            raise BackendUnavailable(
                f"the chat model at {self.options.openai.base_url} failed: {exc}"
            ) from exc
        return response.choices[0].message.content or ""


def parse_answer(text: str) -> list[DraftSentence]:
    """Sentences with the [n] markers that follow them."""
    sentences = []
    for match in _SENTENCE.finditer(text.strip()):
        sentence = match.group(0).strip()
        markers = tuple(int(n) for n in _MARKER.findall(sentence))
        body = re.sub(r"\s+([.!?])", r"\1", _MARKER.sub("", sentence)).strip()
        if body:
            sentences.append(DraftSentence(body, markers))
    return sentences
