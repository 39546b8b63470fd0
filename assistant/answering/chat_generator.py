"""What every chat-model generator shares: the prompts, reading the streamed reply into cited
sentences, and rewriting follow-ups. A backend only says how to stream a chat completion.

Its sentences are not trusted: the grounding gate checks each one against the passage it cites."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from assistant.answering.conversations import Turn
from assistant.answering.models import DraftSentence
from assistant.answering.prompts import LANGUAGE_NAMES, numbered_passages, render
from assistant.retrieval.passages import Passage
from ingest.language import question_language

_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)(?:\s*\[\d+\])*")
_MARKER = re.compile(r"\[(\d+)\]")
_BOUNDARY = re.compile(r"[.!?](?:\s*\[\d+\])*\s+(?=[^\s\[])")

Messages = list[dict[str, str]]


class ChatGenerator:
    """Subclasses set `name` and `prompts_dir` and implement `stream(messages)`."""

    name: str
    prompts_dir: Path

    def stream(self, messages: Messages) -> Iterator[str]:
        raise NotImplementedError

    def draft(self, question: str, passages: list[Passage]) -> Iterator[DraftSentence]:
        """Sentences as the model streams them, each as soon as it and its markers are complete."""
        language = LANGUAGE_NAMES.get(question_language(question), "English")
        messages = [
            {"role": "system", "content": render("system", self.prompts_dir, language=language)},
            {
                "role": "user",
                "content": render(
                    "answer",
                    self.prompts_dir,
                    passages=numbered_passages(passages),
                    question=question,
                    language=language,
                ),
            },
        ]
        buffer = ""
        for piece in self.stream(messages):
            buffer += piece
            complete, buffer = split_complete(buffer)
            yield from parse_answer(complete)
        yield from parse_answer(buffer)

    def standalone(self, question: str, history: list[Turn]) -> str:
        """The follow-up rewritten by the model from the conversation (the `rewrite` prompt)."""
        lines = [f"User: {turn.question}\nAssistant: {_MARKER.sub('', turn.answer)}" for turn in history[-4:]]
        prompt = render("rewrite", self.prompts_dir, history="\n".join(lines), question=question)
        rewritten = "".join(self.stream([{"role": "user", "content": prompt}])).strip()
        return rewritten.splitlines()[0].strip() if rewritten else question


def split_complete(text: str) -> tuple[str, str]:
    """Cut streamed text after its last finished sentence; the markers that follow belong to it,
    so a sentence counts as finished only once the next one has started."""
    ends = list(_BOUNDARY.finditer(text))
    if not ends:
        return "", text
    cut = ends[-1].end()
    return text[:cut], text[cut:]


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
