"""Loaders, one module per format; `load_file` picks one by the file's content and suffix."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import IngestError
from ingest.models import LoadedDocument

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".docx"}


def load_file(path: Path) -> LoadedDocument:
    """Read one file into pages; raises IngestError with a one-line reason when it cannot."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        from ingest.loaders import pdf

        return pdf.load(path)
    if suffix == ".docx":
        from ingest.loaders import docx

        return docx.load(path)
    if suffix in {".txt", ".md", ".markdown"}:
        from ingest.loaders import text

        return text.load(path)
    raise IngestError(f"unsupported file type {suffix or '(none)'}; supported: {sorted(SUPPORTED_SUFFIXES)}")
