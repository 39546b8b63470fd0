"""Loaders, one module per format; `load_file` picks one by the file's content and suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.errors import IngestError
from ingest.models import LoadedDocument
from ingest.normalise import normalise_document

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".docx"}


def load_file(
    path: Path,
    max_pages: int | None = None,
    language: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadedDocument:
    """Read one file into pages of normalised text (`ingest.normalise`); raises IngestError with a
    one-line reason when it cannot.

    The content decides before the name: a ZIP archive named `.pdf` is refused as what it is."""
    return normalise_document(_load(path, max_pages, language, progress))


def _load(
    path: Path, max_pages: int | None, language: str | None, progress: Callable[[int, int], None] | None
) -> LoadedDocument:
    """`language` and `progress` serve PDFs' scanned pages (OCR)."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    if head.startswith(b"%PDF") or (suffix == ".pdf" and b"%PDF" in _start(path)):
        from ingest.loaders import pdf

        return pdf.load(path, max_pages, language, progress)
    if suffix == ".pdf":
        raise IngestError(f"named .pdf but {_looks_like(head)}")
    if suffix == ".docx":
        from ingest.loaders import docx

        return docx.load(path)
    if suffix in {".txt", ".md", ".markdown"}:
        from ingest.loaders import text

        return text.load(path)
    raise IngestError(f"unsupported file type {suffix or '(none)'}; supported: {sorted(SUPPORTED_SUFFIXES)}")


def _start(path: Path) -> bytes:
    """PDFs may start with junk before `%PDF` (readers accept it within the first kilobyte)."""
    with path.open("rb") as handle:
        return handle.read(1024)


def _looks_like(head: bytes) -> str:
    if not head:
        return "the file is empty"
    if head.startswith(b"PK\x03\x04"):
        return "the content is a ZIP archive (a DOCX or other Office file?), not a PDF"
    return "the content is not a PDF (no %PDF header)"
