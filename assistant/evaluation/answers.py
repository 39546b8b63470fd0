"""Scoring answers: must_contain accuracy, answering and abstaining when right, verbatim quotes."""

from __future__ import annotations

import statistics
import time

from assistant.answering.emphasis import plain
from assistant.answering.quotes import find_quote
from assistant.answering.responder import Responder
from assistant.evaluation.qa import QAItem, holds, says_all
from ingest.document_store import DocumentStore
from ingest.text_analysis import content_words


def score_answers(responder: Responder, store: DocumentStore, items: list[QAItem]) -> dict[str, dict]:
    rows: list[tuple[str, dict[str, float]]] = []
    latencies: list[float] = []
    for item in items:
        started = time.perf_counter()
        answer = responder.ask(item.question)
        latencies.append((time.perf_counter() - started) * 1000)
        answerable = bool(item.evidence)
        text = plain(answer.text).lower()
        verbatim = [on_page(store, c.document_id, c.page, c.quote) for c in answer.citations]
        cited = store.chunks([c.chunk_id for c in answer.citations])
        cited_words = [set(content_words(chunk.text)) for chunk in cited.values()]
        cites_evidence = any(holds(words, e) for words in cited_words for e in item.evidence)
        figures = {
            "answerable": float(answerable),
            "answered": float(answerable and not answer.abstained),
            "abstained_right": float(not answerable and answer.abstained),
            "must_contain": float(answerable and not answer.abstained and says_all(text, item.must_contain)),
            "citations": float(len(answer.citations)),
            "cites_evidence": float(answerable and not answer.abstained and cites_evidence),
            "quotes": float(len(verbatim)),
            "verbatim": float(sum(verbatim)),
        }
        rows.append((item.type, figures))
    groups: dict[str, list[dict[str, float]]] = {"all": [f for _, f in rows]}
    for kind, figures in rows:
        groups.setdefault(kind, []).append(figures)
    result = {group: _summary(values) for group, values in groups.items()}
    latencies.sort()
    result["all"]["ask_p50_ms"] = statistics.median(latencies) if latencies else 0.0
    result["all"]["ask_p95_ms"] = (
        latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else 0.0
    )
    return result


def _summary(rows: list[dict[str, float]]) -> dict[str, float]:
    answerable = sum(r["answerable"] for r in rows)
    unanswerable = len(rows) - answerable
    answered = sum(r["answered"] for r in rows)
    quotes = sum(r["quotes"] for r in rows)
    return {
        "n": len(rows),
        "must_contain": sum(r["must_contain"] for r in rows) / answerable if answerable else float("nan"),
        "answered_when_answerable": answered / answerable if answerable else float("nan"),
        "abstained_when_unanswerable": (
            sum(r["abstained_right"] for r in rows) / unanswerable if unanswerable else float("nan")
        ),
        "citations_per_answer": sum(r["citations"] for r in rows) / answered if answered else 0.0,
        "verbatim_quotes": sum(r["verbatim"] for r in rows) / quotes if quotes else float("nan"),
        # Of the answers given to answerable questions, the share citing a passage with the evidence.
        "cites_evidence": sum(r["cites_evidence"] for r in rows) / answered if answered else float("nan"),
    }


def on_page(store: DocumentStore, document_id: str, page: int, quote: str) -> bool:
    found = store.page(document_id, page)
    pages = [found] if found else []
    # A paragraph joined across a page break is quoted from the page where it starts or the next.
    following = store.page(document_id, (found.last if found else page) + 1)
    if following:
        pages.append(following)
    return bool(pages) and find_quote("\n".join(p.text for p in pages), quote) is not None
