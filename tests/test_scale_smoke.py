"""The scale benchmark's small configuration, as a smoke test: 1k synthetic chunks through the
embedded store and a Chroma server, a small end-to-end ingest, the table's figures and the plot.
(The full 1k/10k/100k run is `make bench-scale`; its figures are in README.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from assistant.evaluation.scale import growth, plot, run_scale
from assistant.wiring import Assistant
from tests.conftest import SAMPLE_CORPUS

pytestmark = pytest.mark.slow


def test_scale_benchmark_small_configuration(sample: Assistant, tmp_path: Path) -> None:
    queries = [
        "Which funds finance triangular cooperation in the Caribbean?",
        "¿Qué acordó Brasil con Paraguay?",
        "Quais agências apoiam a cooperação Sul-Sul?",
    ]
    # The sample's embedding cache is warm: the real vectors are not computed again.
    result = run_scale(sample.settings, SAMPLE_CORPUS, queries, [1000], 30, True, Console(quiet=True))
    e2e = result["end_to_end"]
    assert e2e["chunks"] >= 30 and e2e["failed"] == 0
    assert e2e["chunks_per_second"] > 0 and e2e["share_of_raw_encode"] > 0
    rows = {row["mode"]: row for row in result["store_and_query"]}
    assert set(rows) == {"embedded", "server"}
    for row in rows.values():
        assert row["chunks"] == 1000
        assert 0 < row["search_p50_ms"] <= row["search_p95_ms"]
        assert 0 < row["ask_p50_ms"] <= row["ask_p95_ms"]
        assert row["lexical_index_mib"] > 0 and row["peak_rss_mib"] > 0
    assert rows["embedded"]["disk_mib"] > rows["server"]["disk_mib"]  # server rows keep vectors elsewhere
    assert growth(result) == {}  # one size: no growth figure yet
    target = tmp_path / "scale.png"
    assert plot(result, target) and target.read_bytes().startswith(b"\x89PNG")
