"""Files uploaded over HTTP: judged by their content (not their name), given a safe name, and
written to the data directory atomically, so a crash never leaves half a file to be ingested."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from assistant.errors import InvalidRequest

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def sniff(head: bytes, path: Path | None = None) -> str:
    """The suffix the content deserves: .pdf, .docx, .md/.txt; InvalidRequest for anything else."""
    if b"%PDF" in head[:1024]:  # readers, and the PDF loader, accept junk before the header
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        if path is not None and _is_docx(path):
            return ".docx"
        raise InvalidRequest("a ZIP archive that is not a Word document (.docx); upload PDF, DOCX, TXT or MD")
    if not head.strip():
        raise InvalidRequest("the file is empty")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidRequest("binary content that is not PDF or DOCX; upload PDF, DOCX, TXT or MD")
    return ".txt"


def safe_name(filename: str, suffix: str) -> str:
    """Only the last path component, in plain characters, with the suffix the content earned:
    `../../etc/passwd` becomes `passwd.txt`."""
    base = re.split(r"[\\/]", filename or "")[-1]
    stem = _SAFE.sub("-", Path(base).stem).strip(".-")[:100] or "upload"
    given = Path(base).suffix.lower()
    if suffix == ".txt" and given in (".md", ".markdown"):
        suffix = ".md"  # text may keep its Markdown name: headings are read as sections
    return stem + suffix


@dataclass(frozen=True)
class StagedUpload:
    """A checked upload waiting, under a hidden name of its own, for its job to put it in place."""

    pending: Path
    target: Path


def save_upload(source: BinaryIO, folder: Path, filename: str, max_bytes: int) -> StagedUpload:
    """Stream to a hidden file of its own in `folder` and check size and content. The file takes its
    real name only when its job runs: jobs run one at a time, so two uploads of one name never
    overwrite or delete each other's file."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    written = 0
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := source.read(1 << 20):
                written += len(chunk)
                if written > max_bytes:
                    raise InvalidRequest(f"the file is over the {max_bytes // 2**20} MiB limit")
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        with open(temporary, "rb") as check:
            head = check.read(4096)
        return StagedUpload(Path(temporary), folder / safe_name(filename, sniff(head, Path(temporary))))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def put_in_place(upload: StagedUpload) -> None:
    """Give the upload its name; a current version of that name waits beside it until it ingests."""
    if upload.target.exists():
        os.replace(upload.target, previous_version(upload.target))
    os.replace(upload.pending, upload.target)


def sweep_staged(folder: Path) -> int:
    """Uploads staged by a process that stopped before their jobs ran: their jobs are marked
    failed at start ("upload again"), so the files are only taking room."""
    swept = 0
    for stale in folder.glob(".upload-*") if folder.is_dir() else []:
        stale.unlink(missing_ok=True)
        swept += 1
    return swept


def previous_version(path: Path) -> Path:
    """Where an upload's earlier version waits while its replacement is ingested (hidden: ingest
    skips it)."""
    return path.with_name(f".{path.name}.previous")


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
