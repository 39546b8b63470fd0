"""Ask: search, draft, ground, or abstain; then, with a language model, write — the same path for
every edge."""

from __future__ import annotations

import logging
import threading
from collections import abc
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, replace

from assistant.answering.answer_checks import expected_kind
from assistant.answering.conversations import ConversationStore, Turn, standalone_question
from assistant.answering.emphasis import emphasise, plain
from assistant.answering.extractive import unframed
from assistant.answering.generation_queue import GenerationQueue, ModelBusy
from assistant.answering.generator import Generator
from assistant.answering.grounding import Grounder
from assistant.answering.listing import gather
from assistant.answering.models import (
    Answer,
    AnswerEvent,
    Citation,
    DraftSentence,
    EntityRef,
    Writing,
    Written,
)
from assistant.answering.quotes import find_quote
from assistant.answering.writer import ChatWriter
from assistant.answering.written_checks import Evidence, attributed
from assistant.errors import BackendUnavailable, InvalidRequest
from assistant.retrieval.hybrid import HybridSearcher
from assistant.retrieval.passages import Passage
from ingest.document_store import Filters
from ingest.entities.store import spans_among
from ingest.language import detect_language, question_language

_NOT_IN_CORPUS = {
    "en": "The documents in the corpus do not answer this question.",
    "es": "Los documentos del corpus no responden a esta pregunta.",
    "pt": "Os documentos do corpus não respondem a esta pergunta.",
}
_CLOSEST = {
    "en": "The closest documents are:",
    "es": "Los documentos más cercanos son:",
    "pt": "Os documentos mais próximos são:",
}
MAX_QUESTION_CHARS = 2000
MAX_WRITTEN = 2  # sentences a language model may add
# What the writer reads: with the question, ~250-300 tokens, which a 1.5B model reads in 4-5 s on
# two cores. A long unit is cut, so that a later one still fits; the gate checks against the whole unit.
MAX_EVIDENCE_CHARS = 1200
MAX_UNIT_CHARS = 350
MAX_TITLE_CHARS = 40
MAX_EVIDENCE_UNITS = 5
log = logging.getLogger("ssc_assistant.answers")


Rewriter = Callable[[str, list[Turn]], str]


@dataclass
class Responder:
    searcher: HybridSearcher
    generator: Generator
    k: int = 8
    conversations: ConversationStore | None = None
    # Makes a follow-up standalone; an LLM generator brings its own, the default needs no model.
    rewrite: Rewriter = standalone_question
    # "Which funds…": add the catalogue's entities of that type the passages name (see listing.py).
    catalogue_lists: bool = True
    # A language model that writes a short answer from the quoted evidence, one at a time.
    writer: ChatWriter | None = None
    queue: GenerationQueue | None = None

    def ask(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        conversation_id: str | None = None,
    ) -> Answer:
        """Answer; with a conversation, a follow-up is first made standalone and the turn is kept."""
        *_, answer = self.ask_stream(question, k, filters, conversation_id)
        assert isinstance(answer, Answer)
        return answer

    def ask_stream(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        conversation_id: str | None = None,
        cancelled: threading.Event | None = None,
        write: bool = True,
    ) -> Iterator[AnswerEvent]:
        """Grounded sentences as the generator produces them; with a writer (unless `write` is
        off), `Writing` and its checked sentences; then the whole Answer. Setting `cancelled`
        stops the writer.

        The request is checked (and the conversation looked up, and the writer's queue) before this
        returns, so a bad request or a full queue fails before a stream has begun."""
        question = question.strip()
        if not question:
            raise InvalidRequest("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidRequest(f"the question is longer than {MAX_QUESTION_CHARS} characters")
        history: list[Turn] = []
        if self.conversations is not None and conversation_id:
            history = self.conversations.history(conversation_id)
        if write and self.writer is not None and self.queue is not None:
            self.queue.check()
        return self._stream(question, history, k, filters, conversation_id, cancelled, write)

    def _stream(
        self,
        question: str,
        history: list[Turn],
        k: int | None,
        filters: Filters | None,
        conversation_id: str | None,
        cancelled: threading.Event | None,
        write: bool,
    ) -> Iterator[AnswerEvent]:
        standalone = self._standalone(question, history) if history else question
        passages = self.searcher.search(standalone, k or self.k, filters)
        grounder = Grounder(passages)
        kept: list[str] = []
        drafted: list[DraftSentence] = []
        # Each generator judges its own evidence: an empty draft means the passages do not answer.
        for sentence in self.generator.draft(standalone, passages) if passages else []:
            if (text := grounder.add(sentence)) is not None:
                kept.append(text)
                drafted.append(sentence)
                yield text
        if kept and self.catalogue_lists and self.searcher.entities is not None:
            for listed in gather(standalone, passages, self.searcher.entities, " ".join(kept)):
                if (text := grounder.add(sentence := listed.sentence())) is not None:
                    kept.append(text)
                    drafted.append(sentence)
                    yield text
        written: list[str] = []
        dropped = 0
        if kept and write and self.writer is not None:
            yield Writing()
            evidence = writer_evidence(drafted, self.generator.ranked_units(standalone, passages), passages)
            language = question_language(question)
            sentences = self._written(standalone, evidence, cancelled)
            for sentence in sentences:
                checked = attributed(sentence, evidence, standalone)
                if checked is None or not _in_language(checked.text, language):
                    dropped += 1
                    continue
                if not written:
                    checked = replace(
                        checked, text=emphasise(checked.text, expected_kind(standalone), standalone)
                    )
                if (text := grounder.add(checked)) is None:
                    dropped += 1
                    continue
                written.append(text)
                yield Written(text)
                if len(written) == MAX_WRITTEN:
                    break
            sentences.close()  # stops the model now, rather than after a third sentence
        if kept:
            citations = [self._on_its_page(c) for c in grounder.citations]
            text = " ".join(written + kept)
            answer = Answer(
                text,
                False,
                citations,
                entities=self._entities(text, citations),
                written=" ".join(written),
                written_dropped=dropped,
            )
        else:
            answer = _abstain(question_language(question), passages)
            yield answer.text
        if self.conversations is not None:
            conversation_id = conversation_id or self.conversations.new_id()
            self.conversations.append(conversation_id, Turn(question, standalone, answer.text))
            answer = replace(answer, conversation_id=conversation_id)
        yield answer

    def _standalone(self, question: str, history: list[Turn]) -> str:
        """The follow-up made standalone. A language model rewrites it in its turn, like any
        generation; when its line is full or it fails, the rules do, and the quoted answer needs
        no model."""
        if self.rewrite is standalone_question:
            return standalone_question(question, history)
        try:
            with self.queue.slot() if self.queue is not None else nullcontext():
                return self.rewrite(question, history)
        except (ModelBusy, BackendUnavailable) as exc:
            log.warning("follow-up rewritten by rules: %s", exc)
            return standalone_question(question, history)

    def _written(
        self, question: str, evidence: list[Evidence], cancelled: threading.Event | None
    ) -> abc.Generator[DraftSentence]:
        """The writer's sentences, holding the model's one slot; nothing when the model is busy
        or fails: the quoted answer already given stands."""
        assert self.writer is not None
        try:
            with self.queue.slot() if self.queue is not None else nullcontext():
                observe = self.queue.observe if self.queue is not None else None
                yield from self.writer.write(question, evidence, cancelled, observe)
        except (ModelBusy, BackendUnavailable) as exc:
            log.warning("no written answer: %s", exc)

    def _entities(self, text: str, citations: list[Citation]) -> list[EntityRef]:
        """Catalogue entries the answer or its quotes name, and that the cited passages mention
        (so a stray word never links to an unrelated entry), with where the answer names them."""
        catalogue = self.searcher.entities
        if catalogue is None:
            return []
        cited = catalogue.entities_in_chunks([c.chunk_id for c in citations])
        names = catalogue.names_of(sorted(set().union(*cited.values()))) if cited else []
        spans: dict[str, list[tuple[int, int]]] = {}
        for start, end, entity_id in spans_among(text, names):
            spans.setdefault(entity_id, []).append((start, end))
        in_quotes = [i for c in citations for _, _, i in spans_among(c.quote, names)]
        found = catalogue.summaries(list(dict.fromkeys([*spans, *in_quotes])))
        return [
            EntityRef(e.entity_id, e.name, e.type, e.acronym, tuple(spans.get(e.entity_id, ())))
            for e in found
        ]

    def _on_its_page(self, citation: Citation) -> Citation:
        """Cite the page whose stored text holds the quote (a chunk may span pages).

        A chunk can repeat a list's lead-in above items on a later page, and a sentence can run
        from the foot of one page to the top of the next, so a quote taken across that join is not
        on any page as such: it then narrows to its longest line that is, or else to its longest
        run of words that is."""
        chunk = self.searcher.store.chunks([citation.chunk_id]).get(citation.chunk_id)
        if chunk is None:
            return citation
        store = self.searcher.store
        pages = [store.page(chunk.document_id, n) for n in range(chunk.page, chunk.page_end + 1)]
        lines = sorted(citation.quote.splitlines()[1:], key=len, reverse=True)
        for quote in [citation.quote, *lines, *_ends(citation.quote)]:
            for page in pages:
                if page is not None and len(quote) >= 20 and find_quote(page.text, quote) is not None:
                    return replace(citation, page=page.number, quote=quote)
        return citation


def _ends(quote: str) -> list[str]:
    """The quote's leading and trailing runs of words, longest first: where it crosses a page,
    the part before the page break is one of its heads and the part after one of its tails."""
    words = quote.split(" ")
    heads = [" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)]
    tails = [" ".join(words[n:]) for n in range(1, len(words))]
    return sorted([*heads, *tails], key=len, reverse=True)


def writer_evidence(
    drafted: list[DraftSentence], ranked: list[DraftSentence], passages: list[Passage]
) -> list[Evidence]:
    """What the writer reads, about 300 tokens: the quoted answer's lead, then the reader's best
    units that the quoted answer does not show. The quotes are already on screen; what the model
    writes is worth the wait when it can reach past them."""
    quoted = [sentence.quote for sentence in drafted if sentence.quote]
    fresh = [unit for unit in ranked if not any(unit.quote and unit.quote in q for q in quoted)]
    evidence: list[Evidence] = []
    used = 0
    for draft in [*drafted[:1], *fresh]:
        text = unframed(plain(draft.text))
        quote = draft.quote or text
        if len(evidence) == MAX_EVIDENCE_UNITS:
            break
        if any(quote in unit.quote or unit.quote in quote for unit in evidence):
            continue  # a list item already read inside its block, or the block around one
        shown = _cut(text, MAX_UNIT_CHARS)
        if used + len(shown) > MAX_EVIDENCE_CHARS:
            break
        passage = passages[draft.markers[0] - 1]
        title = _cut(passage.title, MAX_TITLE_CHARS)
        evidence.append(Evidence(draft.markers[0], text, quote, passage.chunk.language, title, shown))
        used += len(shown)
    return evidence


def _cut(text: str, limit: int) -> str:
    """The text whole, or cut at a word before `limit` characters, with an ellipsis."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _in_language(sentence: str, language: str) -> bool:
    """Whether a written sentence is in the question's language (too short to tell counts as yes)."""
    return len(sentence.split()) < 6 or detect_language(plain(sentence), language) == language


def _abstain(language: str, passages: list[Passage]) -> Answer:
    """Say so in the question's language, and point to the closest documents."""
    titles = list(dict.fromkeys(p.title for p in passages))[:3]
    text = _NOT_IN_CORPUS.get(language, _NOT_IN_CORPUS["en"])
    if titles:
        text += " " + _CLOSEST.get(language, _CLOSEST["en"]) + " " + "; ".join(titles) + "."
    return Answer(text=text, abstained=True, closest_documents=titles)
