"""What a language model reads before it writes: the quoted answer's lead, then the reader's best
units that the quoted answer does not show, each cut to the part that speaks to the question.

The quotes are already on screen; a written answer is worth its wait when it reaches past them.
Reading costs time on two cores (about 60 prompt tokens a second), so the evidence is held to about
300 tokens. A long unit is cut to its window of words that holds most of the question's words, so
that more units fit; the grounding gate still checks each written sentence against the whole unit.
"""

from __future__ import annotations

import re

from assistant.answering.emphasis import plain
from assistant.answering.extractive import unframed
from assistant.answering.models import DraftSentence
from assistant.answering.written_checks import Evidence
from assistant.retrieval.passages import Passage
from ingest.text_analysis import content_words, fold

# Chosen on the bench's training folds (text and mixed setups), by how often the asked fact that
# the quotes lack is in what the model reads: 8 windows of 150 characters held it for 8 of 30 and
# 14 of 58 questions, against 2 and 11 for 5 units cut at 350 characters.
MAX_EVIDENCE_CHARS = 1200
MAX_UNIT_CHARS = 150
MAX_EVIDENCE_UNITS = 8
MAX_TITLE_CHARS = 40
# A word matches the question when their first letters agree once folded: "cooperación" finds
# "cooperation", "acuerdos" finds "acuerdo", whatever the unit's language.
_PREFIX = 5
_ELLIPSIS = "…"


def writer_evidence(
    question: str, drafted: list[DraftSentence], ranked: list[DraftSentence], passages: list[Passage]
) -> list[Evidence]:
    """The lead of the quoted answer, then fresh units best first, within the budget."""
    quoted = [sentence.quote for sentence in drafted if sentence.quote]
    fresh = [unit for unit in ranked if not any(unit.quote and unit.quote in q for q in quoted)]
    asked = _prefixes(question)
    evidence: list[Evidence] = []
    used = 0
    for draft in [*drafted[:1], *fresh]:
        if len(evidence) == MAX_EVIDENCE_UNITS:
            break
        text = unframed(plain(draft.text))
        quote = draft.quote or text
        if any(quote in unit.quote or unit.quote in quote for unit in evidence):
            continue  # a list item already read inside its block, or the block around one
        shown = window(text, asked, MAX_UNIT_CHARS)
        if used + len(shown) > MAX_EVIDENCE_CHARS:
            continue  # a shorter unit further down may still fit
        passage = passages[draft.markers[0] - 1]
        title = cut(passage.title, MAX_TITLE_CHARS)
        evidence.append(Evidence(draft.markers[0], text, quote, passage.chunk.language, title, shown))
        used += len(shown)
    return evidence


def window(text: str, asked: frozenset[str], limit: int) -> str:
    """The text whole when it fits; else the run of whole words within `limit` characters that
    holds most of the asked words (a number counts half: numbers often are the answer), marked with
    an ellipsis where it was cut. The earliest such run wins a tie; line breaks are kept."""
    if len(text) <= limit:
        return text
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    scores = [_score(text[a:b], asked) for a, b in spans]
    best, first, last = -1.0, 0, -1
    end, score = 0, 0.0  # the run spans[start:end] and its score
    for start in range(len(spans)):
        end = max(end, start)
        while end < len(spans) and spans[end][1] - spans[start][0] <= limit:
            score += scores[end]
            end += 1
        if end > start and score > best:
            best, first, last = score, start, end - 1
        if end > start:
            score -= scores[start]
    if last < 0:
        return cut(text, limit)
    shown = text[spans[first][0] : spans[last][1]]
    if first > 0:
        shown = _ELLIPSIS + " " + shown
    if last < len(spans) - 1:
        shown += " " + _ELLIPSIS
    return shown


def cut(text: str, limit: int) -> str:
    """The text whole, or cut at a word before `limit` characters, with an ellipsis."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " " + _ELLIPSIS


def _prefixes(question: str) -> frozenset[str]:
    return frozenset(word[:_PREFIX] for word in content_words(question) if len(word) > 3)


def _score(word: str, asked: frozenset[str]) -> float:
    folded = fold(word)
    if any(c.isdigit() for c in folded):
        return 0.5
    letters = "".join(c for c in folded if c.isalpha())
    return 1.0 if len(letters) > 3 and letters[:_PREFIX] in asked else 0.0
