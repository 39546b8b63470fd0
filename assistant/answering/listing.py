"""List questions about a type ("which funds…", "¿qué agencias…?", "quais acordos…"): the catalogue
picks out the entities of that type that the retrieved passages name, in every document among them,
and each is added to the answer with the sentence or table row that names it, quoted and cited.

The generator reads only the best few passages and keeps the units closest to the question; a list
answer needs the others too. Only units on the question's topic are taken, so a passage that
merely mentions a fund in passing does not put it in the list."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answering.models import DraftSentence
from assistant.answering.sentences import units
from assistant.retrieval.asked_type import asked_type, is_type_noun
from assistant.retrieval.passages import Passage
from ingest.entities.store import EntityStore, named_among, spans_among
from ingest.language import question_language
from ingest.text_analysis import stems


@dataclass(frozen=True)
class Listed:
    """A unit of passage `number` (1-based) that names entities of the asked type."""

    number: int
    quote: str
    text: str
    names: tuple[str, ...]

    def sentence(self) -> DraftSentence:
        return DraftSentence(f"{', '.join(self.names)}: {self.text}", (self.number,), self.quote)


def gather(
    question: str,
    passages: list[Passage],
    catalogue: EntityStore,
    already: str = "",
    limit: int = 6,
) -> list[Listed]:
    """Units naming entities of the asked type that `already` (the drafted answer) does not name,
    best passage first, at most `limit`; nothing when the question asks for no type."""
    kind = asked_type(question)
    if kind is None:
        return []
    chunk_ids = [chunk.chunk_id for passage in passages for chunk in passage.parts]
    in_chunks = catalogue.entities_in_chunks(chunk_ids)
    mentioned = sorted(set().union(*in_chunks.values())) if in_chunks else []
    # "Which countries pay into the PGTF?": the PGTF is what the list is about, not part of it.
    asked = catalogue.named_in(question)
    typed = {
        e.entity_id: e for e in catalogue.summaries(mentioned) if e.type == kind and e.entity_id not in asked
    }
    if not typed:
        return []
    # Every entity's names, not only the listed type's: the longest match then keeps "Japan" (the
    # country) from being read inside "Japan International Cooperation Agency".
    names = catalogue.names_of(mentioned)
    seen = set(named_among(already, [n for n in names if n[1] in typed]))
    units_by_passage = [
        (number, unit) for number, p in enumerate(passages, start=1) for unit in units(p.text, p.chunk.kind)
    ]
    on_topic = _on_topic(question, catalogue.names_of(asked), [u.text for _, u in units_by_passage])
    listed: list[Listed] = []
    for (number, unit), relevant in zip(units_by_passage, on_topic, strict=True):
        if not relevant or any(unit.quote == item.quote for item in listed):
            continue
        named = dict.fromkeys(i for _, _, i in spans_among(unit.text, names))
        new = [i for i in named if i in typed and i not in seen]
        if new:
            seen.update(new)
            labels = tuple(_label(typed[i].name, typed[i].acronym) for i in new)
            listed.append(Listed(number, unit.quote, unit.text, labels))
        if len(listed) == limit:
            break
    return listed


def _on_topic(question: str, asked: list[tuple[str, str, int]], texts: list[str]) -> list[bool]:
    """Whether each text shares the question's topic: its words besides the type noun and the
    entities it names. One shared word is enough when it is rare among these texts ("money") or
    the text names the question's entity too; a common one alone ("development") is not."""
    language = question_language(question)
    asked_words = {s for name, _, _ in asked for s in stems(name, language)}
    topic = {s for word in question.split() if not is_type_noun(word) for s in stems(word, language)}
    topic -= asked_words
    if not topic:
        return [True] * len(texts)  # "Which funds are there?": every one the passages name
    shared = [topic & set(stems(text, language)) for text in texts]
    rare = {s for s in topic if sum(s in words for words in shared) <= max(1, len(texts) // 4)}
    needed = [1 if named_among(text, asked) else 2 for text in texts]
    return [
        bool(words) and (bool(words & rare) or len(words) >= min(n, len(topic)))
        for words, n in zip(shared, needed, strict=True)
    ]


def _label(name: str, acronym: str | None) -> str:
    return f"{name} ({acronym})" if acronym and acronym != name else name
