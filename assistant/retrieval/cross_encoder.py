"""Optional second stage: a local sentence-transformers CrossEncoder folder (none ships offline)."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.errors import BackendUnavailable


class CrossEncoderReranker:
    def __init__(self, path: Path) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        if not path.is_dir():
            raise BackendUnavailable(
                f"cross-encoder folder {path} does not exist; set SSC_SEARCH__CROSS_ENCODER_PATH to a local "
                "sentence-transformers CrossEncoder folder, or unset it to use the built-in re-scoring"
            )
        from sentence_transformers import CrossEncoder

        self._model = CrossEncoder(str(path), device="cpu")

    def scores(self, query: str, texts: list[str]) -> list[float]:
        return [float(s) for s in self._model.predict([(query, t) for t in texts])]
