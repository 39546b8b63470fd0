"""The same ingest and search code path against a real `chroma run` server on loopback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import BackendUnavailable
from assistant.settings import Settings, StoreSettings
from assistant.wiring import build
from ingest.embedders import Embedder
from tests import client
from tests.net import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    executable = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    process = subprocess.Popen(
        [executable, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        client.wait_until_healthy(f"{url}/api/v2/heartbeat")
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_ingest_and_search_through_a_chroma_server(
    tmp_path: Path, chroma_server: tuple[str, subprocess.Popen[bytes]], corpus: Path, embedder: Embedder
) -> None:
    chroma_url, server = chroma_server
    settings = Settings(data_dir=tmp_path / "data", store=StoreSettings(chroma_url=chroma_url))
    assistant = build(settings, embedder=embedder)
    try:
        report = assistant.ingestor.ingest([corpus])
        assert len(report.added) == 2 and not report.failed
        assert assistant.vectors.count() == assistant.store.chunk_count()
        top = assistant.searcher.search("¿Qué acordó Brasil con Paraguay?", k=1)
        assert "Brazil agreed with Paraguay" in top[0].text
        server.terminate()
        server.wait(timeout=20)
        with pytest.raises(BackendUnavailable):  # a clear error (503 at the API), not a crash
            assistant.searcher.search("fund", k=1)
    finally:
        assistant.close()
    assert not (tmp_path / "data" / "chroma").exists()  # vectors live on the server, not on disk here
