"""Adding and removing documents over HTTP, as plain functions the background jobs run: the same
ingest path as the CLI, so an upload is chunked, embedded and catalogued exactly like a folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from assistant.errors import IngestError
from assistant.uploads import StagedUpload, previous_version, put_in_place
from assistant.wiring import Assistant


def ingest_upload(assistant: Assistant, upload: StagedUpload) -> dict[str, Any]:
    """Ingest one uploaded file. One that cannot be read fails the job with why, and is deleted, or,
    if it replaced an earlier upload, that version is put back (the index still holds it)."""
    put_in_place(upload)
    path = upload.target
    report = assistant.ingestor.ingest([path])
    previous = previous_version(path)
    if report.failed:
        if previous.exists():
            os.replace(previous, path)
        else:
            path.unlink(missing_ok=True)
        raise IngestError(report.failed[0][1])
    previous.unlink(missing_ok=True)
    record = assistant.store.document_by_path(str(path.resolve()))
    assert record is not None
    outcome = "unchanged" if report.skipped else ("replaced" if report.updated else "added")
    return {"document_id": record.document_id, "chunks": record.chunk_count, "outcome": outcome}


def remove(assistant: Assistant, document_id: str, uploads: Path) -> dict[str, Any]:
    record = assistant.store.get_document(document_id)
    assistant.ingestor.remove(document_id)
    if record is not None and Path(record.path).parent == uploads.resolve():
        Path(record.path).unlink(missing_ok=True)
    return {"document_id": document_id, "outcome": "removed"}
