"""Ask: search, draft, ground, or abstain — the same path for every generator and every edge."""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.answering.conversations import ConversationStore, Turn, standalone_question
from assistant.answering.extractive import ExtractiveGenerator
from assistant.answering.generator import Generator
from assistant.answering.grounding import ground
from assistant.answering.models import Answer, Citation
from assistant.answering.quotes import find_quote
from assistant.errors import InvalidRequest
from assistant.retrieval.hybrid import HybridSearcher
from assistant.retrieval.passages import Passage
from ingest.document_store import Filters
from ingest.language import detect_language

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


@dataclass
class Responder:
    searcher: HybridSearcher
    generator: Generator
    k: int = 8
    # For the extractive generator in the question's own language: below this share of the
    # question's (rarity-weighted) words in the best sentence, the corpus is taken not to answer.
    min_overlap: float = 0.35
    conversations: ConversationStore | None = None

    def ask(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        conversation_id: str | None = None,
    ) -> Answer:
        """Answer; with a conversation, a follow-up is first made standalone and the turn is kept."""
        question = question.strip()
        if not question:
            raise InvalidRequest("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidRequest(f"the question is longer than {MAX_QUESTION_CHARS} characters")
        if self.conversations is None:
            return self._answer(question, question, k, filters)
        history = self.conversations.history(conversation_id) if conversation_id else []
        conversation_id = conversation_id or self.conversations.new_id()
        standalone = standalone_question(question, history)
        answer = self._answer(question, standalone, k, filters)
        self.conversations.append(conversation_id, Turn(question, standalone, answer.text))
        return replace(answer, conversation_id=conversation_id)

    def _answer(self, question: str, standalone: str, k: int | None, filters: Filters | None) -> Answer:
        passages = self.searcher.search(standalone, k or self.k, filters)
        language = detect_language(question)
        if not passages:
            return _abstain(language, passages)
        if isinstance(self.generator, ExtractiveGenerator):
            draft, overlap = self.generator.draft_with_overlap(standalone, passages)
            same_language = passages[0].chunk.language == language
            if same_language and overlap < self.min_overlap:
                return _abstain(language, passages)
        else:
            draft = self.generator.draft(standalone, passages)
        text, citations = ground(draft, passages)
        if not citations:
            return _abstain(language, passages)
        return Answer(text=text, abstained=False, citations=[self._on_its_page(c) for c in citations])

    def _on_its_page(self, citation: Citation) -> Citation:
        """A chunk may span pages: cite the page whose stored text holds the quote."""
        chunk = self.searcher.store.chunks([citation.chunk_id]).get(citation.chunk_id)
        if chunk is None:
            return citation
        for number in range(chunk.page, chunk.page_end + 1):
            page = self.searcher.store.page(chunk.document_id, number)
            if page is not None and find_quote(page.text, citation.quote) is not None:
                return replace(citation, page=page.number)
        return citation


def _abstain(language: str, passages: list[Passage]) -> Answer:
    """Say so in the question's language, and point to the closest documents."""
    titles = list(dict.fromkeys(p.title for p in passages))[:3]
    text = _NOT_IN_CORPUS.get(language, _NOT_IN_CORPUS["en"])
    if titles:
        text += " " + _CLOSEST.get(language, _CLOSEST["en"]) + " " + "; ".join(titles) + "."
    return Answer(text=text, abstained=True, closest_documents=titles)
