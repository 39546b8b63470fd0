"""A file served from one open handle: if an upload replaces it meanwhile (the upload job renames
the new file over the old), the response still carries the old file whole, with the length it
announced. A path-based response would reopen the path and send the new, longer file after the
old file's Content-Length."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from fastapi.responses import StreamingResponse

CHUNK_BYTES = 64 * 1024


def snapshot_response(path: Path, media_type: str | None) -> StreamingResponse:
    """Raises OSError (FileNotFoundError, IsADirectoryError…) when the path holds no readable file."""
    handle = path.open("rb")
    size = os.fstat(handle.fileno()).st_size
    headers = {"Content-Length": str(size), "Content-Disposition": _attachment(path.name)}
    return StreamingResponse(_chunks(handle), media_type=media_type, headers=headers)


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def _attachment(name: str) -> str:
    if name.isascii() and '"' not in name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename*=utf-8''{quote(name)}"
