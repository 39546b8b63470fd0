"""An OpenAI-compatible chat model as the generator, through the official `openai` client.

Its sentences are not trusted: the grounding gate checks each one against the passage it cites."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.answering.conversations import Turn
from assistant.answering.models import DraftSentence
from assistant.answering.prompts import LANGUAGE_NAMES, numbered_passages, render
from assistant.errors import BackendUnavailable
from assistant.retrieval.passages import Passage
from assistant.settings import AnswerSettings
from ingest.language import detect_language

_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)(?:\s*\[\d+\])*")
_MARKER = re.compile(r"\[(\d+)\]")
_BOUNDARY = re.compile(r"[.!?](?:\s*\[\d+\])*\s+(?=[^\s\[])")


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

    def draft(self, question: str, passages: list[Passage]) -> Iterator[DraftSentence]:
        """Sentences as the model streams them, each as soon as it and its markers are complete."""
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
        buffer = ""
        for piece in self._stream(messages):
            buffer += piece
            complete, buffer = split_complete(buffer)
            yield from parse_answer(complete)
        yield from parse_answer(buffer)

    def standalone(self, question: str, history: list[Turn]) -> str:
        """The follow-up rewritten by the model from the conversation (the `rewrite` prompt)."""
        lines = [f"User: {turn.question}\nAssistant: {_strip_markers(turn.answer)}" for turn in history[-4:]]
        prompt = render("rewrite", self.options.prompts_dir, history="\n".join(lines), question=question)
        rewritten = "".join(self._stream([{"role": "user", "content": prompt}])).strip()
        return rewritten.splitlines()[0].strip() if rewritten else question

    def _stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        import openai

        try:
            stream = self._client.chat.completions.create(
                model=self.options.openai.model,
                messages=messages,
                temperature=0,
                max_tokens=self.options.openai.max_tokens,
                stream=True,
            )
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except openai.OpenAIError as exc:
            raise BackendUnavailable(
                f"the chat model at {self.options.openai.base_url} failed: {exc}"
            ) from exc


def split_complete(text: str) -> tuple[str, str]:
    """Cut streamed text after its last finished sentence; the markers that follow belong to it,
    so a sentence counts as finished only once the next one has started."""
    ends = list(_BOUNDARY.finditer(text))
    if not ends:
        return "", text
    cut = ends[-1].end()
    return text[:cut], text[cut:]


def _strip_markers(text: str) -> str:
    return _MARKER.sub("", text).strip()


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
