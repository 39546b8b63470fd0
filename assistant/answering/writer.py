"""A language model that writes a short answer from the evidence the reader chose.

Evidence first: the extractive reader has already picked the few units that answer (and its quoted
answer is already out); the model sees only those, numbered, about 400 tokens, and writes one or
two sentences with [n] markers in the question's language. Small prompts are what make a 1.5B
model on two cores answer in seconds and stay close to its sources. What every backend shares is
here: the prompts, reading the streamed reply into sentences, and rewriting follow-ups; a backend
only says how to stream a chat completion.

Its sentences are not trusted: `written_checks` and the grounding gate check each one."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

from assistant.answering.conversations import Turn
from assistant.answering.models import DraftSentence
from assistant.answering.prompts import LANGUAGE_NAMES, numbered_evidence, render
from assistant.answering.written_checks import Evidence
from ingest.language import question_language

# Labels a small model puts before its answer ("Fact: …", "Evidence: [1]"), and its way of
# saying that the evidence does not answer, which is not a sentence to check.
_LABEL = re.compile(r"^(?:fact|answer|respuesta|resposta|evidence|evidencia|evidência)\s*:\s*", re.IGNORECASE)
_DECLINED = re.compile(r"^no answer\W*$", re.IGNORECASE)
# A sentence ends at . ! ? and the markers after it, where a space or a line break follows.
_ENDS = re.compile(r"[.!?]+(?:\s*\[\d+\])*(?=\s)|(?<=\])(?=\s+[A-ZÀ-Ý¿¡])|\n+")
_MARKER = re.compile(r"\[(\d+)\]")
_BOUNDARY = re.compile(r"[.!?](?:\s*\[\d+\])*\s+(?=[^\s\[])")

Messages = list[dict[str, str]]


class ChatWriter:
    """Subclasses set `name` and `prompts_dir` and implement `stream(messages, cancelled)`."""

    name: str
    prompts_dir: Path

    def stream(self, messages: Messages, cancelled: threading.Event | None = None) -> Iterator[str]:
        """The reply's text as it is generated; generation stops once `cancelled` is set or the
        iterator is closed."""
        raise NotImplementedError

    def write(
        self,
        question: str,
        evidence: list[Evidence],
        cancelled: threading.Event | None = None,
        observe: Callable[[str, float], None] | None = None,
    ) -> Generator[DraftSentence]:
        """Sentences as the model streams them, each as soon as it and its markers are complete;
        markers number the evidence units. `observe("first_token", seconds)` times the model's
        first token, the wait a reader sees before the written answer starts."""
        buffer = ""
        started = time.perf_counter()
        for piece in self.stream(self.messages(question, evidence), cancelled):
            if observe is not None and piece and not buffer:
                observe("first_token", time.perf_counter() - started)
            buffer += piece
            complete, buffer = split_complete(buffer)
            yield from parse_answer(complete)
        if _finished(buffer):  # not a sentence cut off by the token limit or a cancel
            yield from parse_answer(buffer)

    def messages(self, question: str, evidence: list[Evidence]) -> Messages:
        language = LANGUAGE_NAMES.get(question_language(question), "English")
        example_question, example_answer = render("example", self.prompts_dir).split("\n---\n")
        # The system prompt and the worked example are the same for every question, so a local
        # model keeps them in its cache and reads only the evidence and the question.
        return [
            {"role": "system", "content": render("system", self.prompts_dir)},
            {"role": "user", "content": example_question.strip()},
            {"role": "assistant", "content": example_answer.strip()},
            {
                "role": "user",
                "content": render(
                    "answer",
                    self.prompts_dir,
                    evidence=numbered_evidence(evidence),
                    question=question,
                    language=language,
                ),
            },
        ]

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


def _finished(text: str) -> bool:
    """Whether the text left when the stream ended is a whole sentence: it ends with a full stop
    (or ! ?, perhaps inside quotes or brackets) or with its markers."""
    text = text.strip()
    return bool(text) and (text.endswith("]") or re.search(r"[.!?…][\"'”’)]*$", text) is not None)


def parse_answer(text: str) -> list[DraftSentence]:
    """Sentences with the [n] markers that follow them; a full stop inside a number ("54.5") or
    not followed by a space ends no sentence."""
    sentences = []
    for sentence in _split(text):
        markers = tuple(int(n) for n in _MARKER.findall(sentence))
        body = _LABEL.sub("", re.sub(r"\s+([.!?])", r"\1", _MARKER.sub("", sentence)).strip())
        if body and not _DECLINED.match(body) and re.search(r"\w", body):
            sentences.append(DraftSentence(body, markers))
    return sentences


def _split(text: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    text = text.strip()
    for end in _ENDS.finditer(text):
        pieces.append(text[start : end.end()])
        start = end.end()
    return [*pieces, text[start:]]
