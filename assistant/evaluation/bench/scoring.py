"""What one question's answer earns on the bench, beside the answer scores of the dev loop:
its length, whether it carries compatibility characters, and whether each citation's page is the
page where pypdf finds the quoted words."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from assistant.answering.emphasis import plain
from assistant.answering.models import Answer
from assistant.evaluation.qa import QAItem, holds, says_all
from ingest.language import detect_language, question_language
from ingest.text_analysis import content_words

# Ligatures and presentation forms (U+FB00–FB4F), full-width and half-width forms (U+FF00–FFEF).
COMPATIBILITY = re.compile("[\ufb00-\ufb4f\uff00-\uffef]")


def pdf_page_words_list(path: str) -> list[list[str]]:
    """Each page's content words as pypdf reads them (NFKC, so a ligature is its letters; words
    broken at a line end rejoined), in order and with repeats."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(path).pages:
        text = unicodedata.normalize("NFKC", page.extract_text() or "").replace("\u00ad", "")
        pages.append(content_words(re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)))
    return pages


@lru_cache(maxsize=64)
def pdf_page_words(path: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(words) for words in pdf_page_words_list(path))


def evidence_pages(path: str, quote: str) -> set[int]:
    """1-based pages where pypdf finds the quote, or the two pages a quote runs across."""
    pages = pdf_page_words(path)
    quote = unicodedata.normalize("NFKC", quote)
    found = {n for n, words in enumerate(pages, start=1) if holds(set(words), quote)}
    if not found:
        for n in range(1, len(pages)):
            if holds(set(pages[n - 1] | pages[n]), quote):
                found |= {n, n + 1}
    return found


def answer_figures(
    item: QAItem, answer: Answer, paths: dict[str, str], verbatim: list[bool]
) -> dict[str, float]:
    """`paths`: document id -> file, for the documents cited; `verbatim`: each quote found on its page."""
    answerable = bool(item.evidence)
    given = not answer.abstained
    text = plain(answer.text).lower()
    checked = right = 0
    for citation in answer.citations:
        path = paths.get(citation.document_id, "")
        if not path.lower().endswith(".pdf"):
            continue
        pages = evidence_pages(path, citation.quote)
        if pages:  # a page pypdf reads nothing from (a scan) cannot be checked this way
            checked += 1
            right += citation.page in pages
    return {
        "answerable": float(answerable),
        "answered": float(answerable and given),
        "abstained_right": float(not answerable and answer.abstained),
        "must_contain": float(answerable and given and says_all(text, item.must_contain)),
        "length": float(len(plain(answer.text))) if given else float("nan"),
        "quotes": float(len(verbatim)),
        "verbatim": float(sum(verbatim)),
        "pages_checked": float(checked),
        "pages_right": float(right),
        "compatibility": float(given and bool(COMPATIBILITY.search(answer.text))),
        "given": float(given),
    }


def written_figures(item: QAItem, answer: Answer, kept: int, timing: dict[str, float]) -> dict[str, float]:
    """With a language model: whether it wrote, whether its sentences alone hold the asked facts
    (and the quoted sentences alone, the extractive answer of the same run), the sentences the
    gate kept and dropped, the language it wrote in, and its time to first token and in all."""
    answerable = bool(item.evidence)
    given = answerable and not answer.abstained
    written = plain(answer.written)
    quoted = plain(answer.text[len(answer.written) :])

    def holds_all(text: str) -> float:
        return float(given and says_all(text, item.must_contain))

    return {
        "written": float(bool(written)),
        "written_must_contain": holds_all(written),
        "quoted_must_contain": holds_all(quoted),
        "written_kept": float(kept),
        "written_dropped": float(answer.written_dropped),
        "written_language": (
            float(detect_language(written) == question_language(item.question)) if written else math.nan
        ),
        "first_token_seconds": timing["first_token"],
        "answer_seconds": timing["seconds"] if not math.isnan(timing["first_token"]) else math.nan,
    }
