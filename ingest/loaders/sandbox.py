"""Parse a file in a child process with a time and a memory limit.

A decompression bomb or a pathological PDF can make a parser run for hours or eat all memory; in a
child, that costs the child: it is killed, the file is reported, and the server or the rest of the
batch goes on. The children fork from a small forkserver (not from the multi-threaded server),
which has the parsers imported already, so each costs milliseconds, not an interpreter start."""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from assistant.errors import IngestError
from ingest.loaders import load_file
from ingest.models import LoadedDocument

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["ingest.loaders", "ingest.loaders.pdf", "pypdf", "pypdfium2"])


@dataclass(frozen=True)
class ParseLimits:
    max_file_mib: int = 200
    max_pages: int = 3000
    timeout_seconds: float = 120.0
    memory_mib: int = 2048  # address space of the parsing child


def load_isolated(
    path: Path,
    limits: ParseLimits,
    language: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadedDocument:
    """`load_file` under `limits`; every way the child can fail becomes a one-line IngestError.

    The time limit holds for each step the child reports: the text layer, then each page it reads
    by OCR, so a long scan goes on while a page that hangs is stopped."""
    size = path.stat().st_size
    if size > limits.max_file_mib * 1024 * 1024:
        raise IngestError(f"file of {size / 2**20:.0f} MiB, over the {limits.max_file_mib} MiB limit")
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_parse, args=(str(path), limits, language, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            if not receiver.poll(limits.timeout_seconds):
                raise IngestError(f"parsing took over {limits.timeout_seconds:.0f} s and was stopped")
            try:
                outcome, value = receiver.recv()
            except EOFError:
                child.join(5)
                limit = limits.memory_mib
                raise IngestError(
                    f"the parser died (exit code {child.exitcode}), likely over its {limit} MiB limit"
                ) from None
            if outcome != "progress":
                break
            if progress is not None:
                progress(*value)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if outcome == "error":
        raise IngestError(value)
    assert isinstance(value, LoadedDocument)
    return value


def _parse(path: str, limits: ParseLimits, language: str | None, sender: Connection) -> None:
    memory = limits.memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    def progress(done: int, total: int) -> None:
        sender.send(("progress", (done, total)))

    try:
        sender.send(("ok", load_file(Path(path), limits.max_pages, language, progress)))
    except IngestError as exc:
        sender.send(("error", str(exc)))
    except MemoryError:
        sender.send(("error", f"parsing needed more than its {limits.memory_mib} MiB memory limit"))
    except Exception as exc:  # anything else a hostile file provokes
        sender.send(("error", f"unreadable file ({type(exc).__name__}: {str(exc)[:120]})"))
    finally:
        sender.close()
