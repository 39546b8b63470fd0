"""The evidence rule, the metrics, and `ssc-assistant eval` / `ingest` / `search` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.evaluation.qa import QAItem, holds, says_all, score_ranking
from ingest.text_analysis import content_words


def test_reformatted_table_row_still_holds_its_evidence() -> None:
    passage = "Country\tDemand\tAgreements\nBahamas\t4\t3\nBrazil\t18\t17\nBolivia\t4\t0\nChile\t4\t1"
    assert holds(set(content_words(passage)), "Bahamas 4 3 Brazil 18 17 Bolivia 4 0 Chile 4 1")
    assert not holds(set(content_words("Bahamas 4 3")), "Bahamas 4 3 Brazil 18 17 Bolivia 4 0 Chile 4 1")


def test_a_citation_marker_is_not_the_number_an_answer_must_contain() -> None:
    assert not says_all("Each country could prioritise several demands [4].", ["4"])
    assert says_all("Each country could prioritise **4** demands [1].", ["4", "DEMANDS"])


def test_recall_counts_each_evidence_passage_and_mrr_the_first_hit() -> None:
    item = QAItem("q", "?", "list", evidence=["alpha beta gamma delta", "epsilon zeta eta theta"])
    ranking = ["nothing here", "alpha beta gamma delta", "x", "y", "z", "epsilon zeta eta theta"]
    figures = score_ranking(item, ranking)
    assert (
        figures["R@1"] == 0.0 and figures["R@3"] == 0.5 and figures["R@5"] == 0.5 and figures["R@10"] == 1.0
    )
    assert figures["MRR@10"] == 0.5


@pytest.mark.slow
def test_cli_ingest_search_and_eval(tmp_path: Path, corpus: Path) -> None:
    env = {**os.environ, "SSC_DATA_DIR": str(tmp_path / "data")}
    cli = [sys.executable, "-m", "assistant"]
    ingest = subprocess.run(
        [*cli, "ingest", str(corpus)], capture_output=True, text=True, env=env, timeout=300
    )
    assert ingest.returncode == 0, ingest.stderr
    assert "added 2" in ingest.stderr and "failed 0" in ingest.stderr
    search = subprocess.run(
        [*cli, "search", "Brazil Paraguay", "-k", "1", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert search.returncode == 0, search.stderr
    assert json.loads(search.stdout)[0]["document_id"] == "regional-fund-report"
    qa = tmp_path / "qa.jsonl"
    qa.write_text(
        json.dumps(
            {
                "id": "t1",
                "question": "Which country got no agreement?",
                "type": "table",
                "answer": "Bolivia",
                "must_contain": ["Bolivia"],
                "source": "regional-fund-report.md",
                "evidence": ["Bahamas 4 3 Brazil 18 17 Bolivia 4 0"],
                "entities": [],
            }
        )
        + "\n"
    )
    output = tmp_path / "results.json"
    evaluation = subprocess.run(
        [*cli, "eval", str(qa), "--corpus", str(corpus), "--output", str(output)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert evaluation.returncode == 0, evaluation.stderr
    figures = json.loads(output.read_text())["files"]["qa.jsonl"]["ssc-assistant"]["all"]
    assert figures["n"] == 1 and figures["R@5"] == 1.0


@pytest.mark.slow
def test_cli_reports_a_missing_model_clearly(tmp_path: Path) -> None:
    env = {**os.environ, "SSC_DATA_DIR": str(tmp_path / "data"), "EMBEDDING_MODEL": "some-org/unknown-model"}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "search", "fund"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert "not available offline" in message and "local sentence-transformers folder" in message
