"""The offline default: answer with the source's own sentences and table rows.

Every word of the answer comes from a passage, so nothing can be made up; the skill is in picking
the two or three units that answer. A unit is scored on meaning (the embedding model's question-to-
passage similarity, which finds "the largest number of demands" for "the most requests") plus the
question's words it holds, each weighted by how rare it is among the candidates (names, acronyms and
numbers are rare), plus a prior for the passage's search rank. The best unit leads, with the value
asked for in bold; a quote in another language than the question's is framed in the question's.
A question that asks a table for its most, least, a total or the rows with a value is answered
first by computing over the table (`table_answers.py`); the only words not taken from a passage
are that computed sentence and the frame, both built from fixed templates.

It also decides when the passages do not answer: if no unit holds enough of the question's rare
words, the draft is empty and the responder abstains. That check needs the question and passages to
share a language, so it is skipped across languages, where words cannot match."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np

from assistant.answering.answer_checks import (
    CHECKED_KINDS,
    expected_kind,
    holds_kind,
    missing_names,
    new_names,
)
from assistant.answering.emphasis import emphasise
from assistant.answering.models import DraftSentence
from assistant.answering.sentences import Unit, leans_back, units
from assistant.answering.table_answers import computed_answer
from assistant.retrieval.passages import Passage
from ingest.embedders import Embedder
from ingest.embedding_cache import EmbeddingCache
from ingest.entities.store import EntityStore, named_among
from ingest.language import question_language
from ingest.text_analysis import content_words, query_terms, stems


@dataclass
class _Candidate:
    number: int  # the passage's 1-based rank
    position: int
    unit: Unit
    overlap: float = 0.0
    similarity: float = 0.0

    def score(self, generator: ExtractiveGenerator) -> float:
        return (
            generator.similarity_weight * self.similarity
            + generator.overlap_weight * self.overlap
            + generator.rank_prior / self.number
        )


@dataclass
class ExtractiveGenerator:
    embedder: Embedder | None = None  # without one, units are scored on words alone
    cache: EmbeddingCache | None = field(default=None, repr=False)
    entities: EntityStore | None = field(default=None, repr=False)  # links acronyms and aliases
    name: str = "extractive"
    # Below this share of the question's rarity-weighted words in the best unit (same language),
    # the passages are taken not to answer. Calibrated on the dev set: `ssc-assistant eval --answers`.
    min_overlap: float = 0.35
    max_units: int = 5
    max_per_passage: int = 2
    max_passages: int = 5  # units are embedded at question time, so only the best passages are read
    max_embedded: int = 24
    similarity_weight: float = 1.0
    overlap_weight: float = 0.15
    rank_prior: float = 0.02
    # A unit joins the answer when it scores within this margin of the best one.
    margin: float = 0.1
    # Units that hold what the question asks for (an amount, a number, a date) rank this much higher.
    kind_bonus: float = 0.03
    max_names_counted: int = 5
    # A computed table answer needs a column header at least this close to the question (cosine of
    # the embedder's vectors); chosen on the bench's training folds.
    min_column_score: float = 0.78

    def draft(self, question: str, passages: list[Passage]) -> list[DraftSentence]:
        """A computed table answer when the question asks for one, then the units that answer."""
        query = self._query(question)

        def column_scores(headers: list[str]) -> list[float]:
            return [float(score) for score in self._unit_vectors(headers) @ query()]

        language = question_language(question)
        computed = []
        if self.embedder is not None:
            computed = computed_answer(question, language, passages, column_scores, self.min_column_score)
        quoted = {d.quote for d in computed}
        drafted = self._sentences(question, language, query, passages)
        return computed + [d for d in drafted if d.quote not in quoted]

    def ranked_units(self, question: str, passages: list[Passage]) -> list[DraftSentence]:
        """The passages' units best first, as the reader scores them (empty when it finds no
        answer): the evidence a language model reads, which may reach past what the quoted
        answer shows."""
        ranked = self._ranked(question, question_language(question), self._query(question), passages)
        return [DraftSentence(c.unit.text, (c.number,), c.unit.quote) for c in ranked]

    def _query(self, question: str) -> Callable[[], np.ndarray]:
        """The question's vector, embedded once, and only if a step needs it."""
        embedder = self.embedder

        @cache
        def query() -> np.ndarray:
            assert embedder is not None
            return embedder.embed_queries([question])[0]

        return query

    def _sentences(
        self, question: str, language: str, query: Callable[[], np.ndarray], passages: list[Passage]
    ) -> list[DraftSentence]:
        ranked = self._ranked(question, language, query, passages)
        if not ranked:
            return []
        kind = expected_kind(question)
        best = ranked[0].score(self)
        chosen: list[_Candidate] = []
        per_passage: Counter[int] = Counter()
        for candidate in ranked:
            if candidate.score(self) < best - self.margin or len(chosen) == self.max_units:
                break
            if per_passage[candidate.number] < self.max_per_passage and not _repeats(candidate, chosen):
                chosen.append(candidate)
                per_passage[candidate.number] += 1
        picked = self._with_context(chosen, passages)
        # The fact first: the best unit's paragraph (with the neighbours it leans on) leads, and the
        # others follow in reading order.
        lead = chosen[0]
        picked.sort(
            key=lambda item: (item[0][0] != lead.number or abs(item[0][1] - lead.position) > 1, item[0])
        )
        drafts = [
            DraftSentence(
                emphasise(unit.text, kind, question) if unit is lead.unit else unit.text,
                (number,),
                unit.quote,
            )
            for (number, _), unit in picked
        ]
        return _framed(drafts, language, [p.chunk.language for p in passages])

    def _ranked(
        self, question: str, language: str, query: Callable[[], np.ndarray], passages: list[Passage]
    ) -> list[_Candidate]:
        """Every unit worth reading closely, best first; none when the passages do not answer."""
        candidates = self._candidates(question, passages[: self.max_passages])
        if not candidates:
            return []
        if passages[0].chunk.language == language:
            if max(c.overlap for c in candidates) < self.min_overlap:
                return []
            if missing_names(question, [p.text for p in passages]):
                return []  # it names an organisation or programme these passages never mention
        kind = expected_kind(question)
        fitting = [c for c in candidates if holds_kind(c.unit.text, kind)]
        if kind in CHECKED_KINDS and not fitting:
            return []  # asks for an amount, a number or a date that no passage gives
        # Embedding every unit costs ~30 ms each on two cores: only the likeliest are read closely.
        likely = sorted(candidates, key=lambda c: -(c.overlap + self.rank_prior / c.number))
        candidates = likely[: self.max_embedded]
        fitting = [c for c in candidates if holds_kind(c.unit.text, kind)] or fitting[:1]
        if fitting and fitting[0] not in candidates:
            candidates.append(fitting[0])
        self._add_similarity(query, candidates)
        if kind == "names":  # the more of them a unit lists, the better it answers "which bodies…"
            for candidate in candidates:
                count = min(new_names(candidate.unit.text, question), self.max_names_counted)
                candidate.similarity += self.kind_bonus * count
        elif kind:
            for candidate in fitting:
                candidate.similarity += self.kind_bonus
        return sorted(candidates, key=lambda c: -c.score(self))

    def _with_context(
        self, chosen: list[_Candidate], passages: list[Passage]
    ) -> list[tuple[tuple[int, int], Unit]]:
        """The chosen units in reading order, each with the neighbour its meaning leans on: the
        sentence before one that opens "Moreover…"/"It…", the one after when that one opens so."""
        around = {
            c.number: units(passages[c.number - 1].text, passages[c.number - 1].chunk.kind) for c in chosen
        }
        picked = {(c.number, c.position): c.unit for c in chosen}
        quotes = {unit.quote for unit in picked.values()}

        def take(number: int, position: int) -> None:
            unit = around[number][position]
            if unit.quote not in quotes:
                quotes.add(unit.quote)
                picked[(number, position)] = unit

        for candidate in chosen:
            number, position = candidate.number, candidate.position
            if position > 0 and leans_back(candidate.unit.text):
                take(number, position - 1)
            if position + 1 < len(around[number]) and leans_back(around[number][position + 1].text):
                take(number, position + 1)
        for number, paragraph in around.items():
            # Most of a short paragraph already in: the rest of it reads better than a gap.
            taken = sum(1 for n, _ in picked if n == number)
            if len(paragraph) <= 4 and 2 <= taken < len(paragraph):
                for position in range(len(paragraph)):
                    take(number, position)
        return sorted(picked.items())

    def _candidates(self, question: str, passages: list[Passage]) -> list[_Candidate]:
        """Every unit of the passages, with the rarity-weighted share of the question it holds."""
        wanted = set(query_terms(question))
        # An entity the question names counts as one more word, matched by any of its names, so
        # "the Caribbean Development Bank's service" finds "The CDB charges for CTCS provision".
        names = self.entities.names_of(self.entities.named_in(question)) if self.entities else []
        found: list[tuple[_Candidate, set[str]]] = []
        seen: set[str] = set()
        for number, passage in enumerate(passages, start=1):
            title = set(content_words(passage.title))
            for position, unit in enumerate(units(passage.text, passage.chunk.kind)):
                if unit.quote in seen:
                    continue  # overlapping windows repeat sentences
                if _restates(unit.text, title):
                    continue  # the document's title on its cover or running head answers nothing
                seen.add(unit.quote)
                terms = set(stems(unit.text, passage.chunk.language)) & wanted
                terms |= {f"entity:{i}" for i in named_among(unit.text, names)}
                found.append((_Candidate(number, position, unit), terms))
        frequency = Counter(t for _, terms in found for t in terms)
        weight = {t: math.log(1 + len(found) / n) for t, n in frequency.items()}
        total = sum(weight.values()) or 1.0
        for candidate, terms in found:
            candidate.overlap = sum(weight[t] for t in terms) / total
        return [candidate for candidate, _ in found]

    def _add_similarity(self, query: Callable[[], np.ndarray], candidates: list[_Candidate]) -> None:
        if self.embedder is None:
            return
        vectors = self._unit_vectors([c.unit.text[:400] for c in candidates])
        for candidate, similarity in zip(candidates, vectors @ query(), strict=True):
            candidate.similarity = float(similarity)

    def _unit_vectors(self, texts: list[str]) -> np.ndarray:
        """Embed units, reusing the cache: the same passages come back for related questions."""
        assert self.embedder is not None
        keys = ["unit:" + hashlib.sha256(text.encode()).hexdigest() for text in texts]
        known = self.cache.get_many(self.embedder.name, keys) if self.cache else {}
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            fresh = self.embedder.embed_passages([text_of[k] for k in missing])
            new = dict(zip(missing, fresh, strict=True))
            if self.cache:
                self.cache.put_many(self.embedder.name, new)
            known = {**known, **new}
        return np.stack([known[k] for k in keys])


# A quote in another language than the question's is shown as it is, and the answer says so.
_FRAME = {
    "en": "The source says (in {language}): ",
    "es": "Según la fuente (en {language}): ",
    "pt": "Segundo a fonte (em {language}): ",
}
_LANGUAGE_NAMES = {
    "en": {"en": "English", "es": "Spanish", "pt": "Portuguese"},
    "es": {"en": "inglés", "es": "español", "pt": "portugués"},
    "pt": {"en": "inglês", "es": "espanhol", "pt": "português"},
}


_FRAMES = re.compile(
    "^(?:"
    + "|".join(
        re.escape(frame.format(language=name))
        for language, frame in _FRAME.items()
        for name in _LANGUAGE_NAMES[language].values()
    )
    + ")"
)


def unframed(text: str) -> str:
    """The sentence without the frame `_framed` put before it: a writer reads the source's words."""
    return _FRAMES.sub("", text, count=1)


def _framed(drafts: list[DraftSentence], language: str, languages: list[str]) -> list[DraftSentence]:
    """The first quote in another language than the question's opens with a frame in the
    question's language ("Según la fuente (en inglés): …"); the quote itself stays verbatim."""
    names = _LANGUAGE_NAMES.get(language)
    for index, draft in enumerate(drafts):
        quoted = languages[draft.markers[0] - 1]
        if names and quoted != language and quoted in names:
            frame = _FRAME[language].format(language=names[quoted])
            drafts[index] = replace(draft, text=frame + draft.text)
            break
    return drafts


def _restates(text: str, title: set[str]) -> bool:
    words = set(content_words(text))
    return bool(words) and len(words & title) >= 0.8 * len(words)


def _repeats(candidate: _Candidate, chosen: list[_Candidate]) -> bool:
    """A list item already shown inside its lead-in's block, or that block around a shown item."""
    quote = candidate.unit.quote
    return any(quote in c.unit.quote or c.unit.quote in quote for c in chosen)
