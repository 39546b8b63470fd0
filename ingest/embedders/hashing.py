"""A deterministic stand-in for fast unit tests of the logic around embeddings; never the product default."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from ingest.embedders import normalise


class HashingEmbedder:
    name = "hashing"
    dimension = 256
    engine = "hashing"

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(token.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
        out[:, 0] += 1e-3  # keep empty texts away from the zero vector
        return normalise(out)
