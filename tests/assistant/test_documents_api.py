"""Documents over HTTP: upload (judged by content, saved atomically under a safe name, ingested as
a background job), deletion, job status, and the limits on what a request may carry."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.access.keys import KeyStore
from assistant.api.app import create_app
from assistant.settings import AccessSettings, ParseSettings
from assistant.wiring import Assistant
from tests import client
from tests.net import serve
from tests.pdfs import build_encrypted_pdf, build_report_pdf

pytestmark = pytest.mark.slow


@dataclass
class Api:
    url: str
    admin: dict[str, str]
    public: dict[str, str]
    uploads: Path


@pytest.fixture
def api(indexed: Assistant) -> Iterator[Api]:
    settings = indexed.settings.model_copy(
        update={
            "access": AccessSettings(require_keys=True, ip_per_minute=0),
            "parsing": ParseSettings(max_file_mib=1),
        }
    )
    keys = KeyStore(settings.keys_path)
    _, admin = keys.create("operator", "admin")
    _, public = keys.create("site", "ask")
    keys.close()
    with serve(create_app(settings, indexed)) as url:
        yield Api(url, {"X-API-Key": admin}, {"X-API-Key": public}, settings.data_dir / "uploads")


def upload(api: Api, name: str, content: bytes) -> httpx.Response:
    return client.post(f"{api.url}/v1/documents", files={"file": (name, content)}, headers=api.admin)


def finished(api: Api, job: dict) -> dict:
    deadline = time.time() + 120
    while time.time() < deadline:
        current = client.get(f"{api.url}{job['status_url']}", headers=api.admin).json()
        if current["status"] in ("done", "failed"):
            return current
        time.sleep(0.2)
    raise AssertionError(f"job {job} did not finish")


def test_upload_search_and_delete(api: Api, tmp_path: Path, indexed: Assistant) -> None:
    pdf = build_report_pdf(tmp_path / "PGTF annual report.pdf")
    with pdf.open("rb") as handle:
        response = client.post(
            f"{api.url}/v1/documents", files={"file": (pdf.name, handle)}, headers=api.admin
        )
    assert response.status_code == 202, response.text
    assert (
        response.headers["location"]
        == response.json()["status_url"]
        == f"/v1/jobs/{response.json()['job_id']}"
    )
    job = finished(api, response.json())
    assert job["status"] == "done" and job["result"]["outcome"] == "added", job
    document_id = job["result"]["document_id"]
    assert (api.uploads / "PGTF-annual-report.pdf").exists()
    found = client.post(
        f"{api.url}/v1/search", json={"query": "Perez-Guerrero Trust Fund"}, headers=api.public
    )
    assert found.json()["results"][0]["document_id"] == document_id

    deleted = client.delete(f"{api.url}/v1/documents/{document_id}", headers=api.admin)
    assert deleted.status_code == 202 and deleted.headers["location"] == deleted.json()["status_url"]
    assert finished(api, deleted.json())["status"] == "done"
    assert client.get(f"{api.url}/v1/documents/{document_id}", headers=api.admin).status_code == 404
    assert not (api.uploads / "PGTF-annual-report.pdf").exists()
    assert indexed.vectors.count() == indexed.store.chunk_count()


def test_names_are_made_safe_and_content_decides(api: Api) -> None:
    text = b"# Note\n\nThe Caribbean fund met in Kingston to approve new triangular projects.\n"
    response = client.post(
        f"{api.url}/v1/documents", files={"file": ("../../outside/../evil.md", text)}, headers=api.admin
    )
    assert response.status_code == 202
    assert finished(api, response.json())["status"] == "done"
    assert (api.uploads / "evil.md").exists()
    assert (
        not (api.uploads.parent / "evil.md").exists() and not (api.uploads.parent.parent / "outside").exists()
    )

    zipped = client.post(
        f"{api.url}/v1/documents",
        files={"file": ("report.pdf", b"PK\x03\x04rest-of-a-zip")},
        headers=api.admin,
    )
    assert zipped.status_code == 400 and "ZIP archive" in zipped.json()["detail"]
    assert not [p for p in api.uploads.iterdir() if p.name.startswith(".upload-")]  # no half files left


def test_an_unreadable_upload_fails_its_job_and_is_not_kept(api: Api, tmp_path: Path) -> None:
    locked = build_encrypted_pdf(tmp_path / "locked.pdf")
    response = client.post(
        f"{api.url}/v1/documents", files={"file": ("locked.pdf", locked.read_bytes())}, headers=api.admin
    )
    job = finished(api, response.json())
    assert job["status"] == "failed" and "encrypted" in job["error"]
    assert not (api.uploads / "locked.pdf").exists()


def test_limits_and_permissions(api: Api) -> None:
    big = b"words and more words\n" * 100_000  # 2 MiB, over the 1 MiB upload limit of this server
    response = client.post(f"{api.url}/v1/documents", files={"file": ("big.txt", big)}, headers=api.admin)
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    huge_json = client.post(f"{api.url}/v1/ask", json={"question": "x" * (2 << 20)}, headers=api.public)
    assert huge_json.status_code == 413
    forbidden = client.post(f"{api.url}/v1/documents", files={"file": ("a.txt", b"text")}, headers=api.public)
    assert forbidden.status_code == 403
    assert (
        client.delete(f"{api.url}/v1/documents/regional-fund-report", headers=api.public).status_code == 403
    )
    assert client.delete(f"{api.url}/v1/documents/nope", headers=api.admin).status_code == 404
    assert client.get(f"{api.url}/v1/jobs/nope", headers=api.admin).status_code == 404
    no_file = client.post(f"{api.url}/v1/documents", data={"x": "y"}, headers=api.admin)
    assert no_file.status_code == 422


def test_queries_keep_answering_while_a_document_is_ingested(api: Api) -> None:
    lines = [
        f"Paragraph {n}: the regional fund financed triangular cooperation project {n}." for n in range(400)
    ]
    response = upload(api, "long-report.txt", "\n\n".join(lines).encode())
    assert response.status_code == 202
    statuses = []
    while (
        client.get(f"{api.url}{response.json()['status_url']}", headers=api.admin).json()["status"] != "done"
    ):
        found = client.post(f"{api.url}/v1/search", json={"query": "Brazil Paraguay"}, headers=api.public)
        statuses.append(found.status_code)
    assert statuses and set(statuses) == {200}  # no query failed during the ingest
    assert finished(api, response.json())["result"]["chunks"] > 1


def test_a_failed_replacement_keeps_the_indexed_version(api: Api, tmp_path: Path) -> None:
    good = build_report_pdf(tmp_path / "good.pdf").read_bytes()
    first = finished(api, upload(api, "report.pdf", good).json())
    assert first["status"] == "done"
    locked = build_encrypted_pdf(tmp_path / "locked.pdf").read_bytes()
    second = finished(api, upload(api, "report.pdf", locked).json())
    assert second["status"] == "failed" and "encrypted" in second["error"]
    assert (api.uploads / "report.pdf").read_bytes() == good  # the original is back beside its index entry
    assert not list(api.uploads.glob(".*.previous"))
    original = client.get(f"{api.url}/v1/documents/{first['result']['document_id']}/file", headers=api.admin)
    assert original.status_code == 200 and original.content == good
    assert original.headers["content-length"] == str(len(good))
    assert original.headers["content-disposition"] == 'attachment; filename="report.pdf"'


def test_a_wrong_method_lists_every_method_the_path_serves(api: Api) -> None:
    refused = client.request("PUT", f"{api.url}/v1/documents", headers=api.admin)
    assert refused.status_code == 405
    assert set(refused.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_a_document_whose_deletion_is_queued_is_gone_to_readers(api: Api, indexed: Assistant) -> None:
    """Jobs run one at a time: while an upload's job runs, a deletion queued behind it is already
    visible as a 404, and the document leaves the listing."""
    first = indexed.store.list_documents()[0].document_id
    slow = client.post(
        f"{api.url}/v1/documents",
        files={"file": ("long.md", ("# Long\n\n" + "The fund met in Kingston. " * 4000).encode())},
        headers=api.admin,
    )
    assert slow.status_code == 202
    deleted = client.delete(f"{api.url}/v1/documents/{first}", headers=api.admin)
    assert deleted.status_code == 202
    if client.get(f"{api.url}{deleted.json()['status_url']}", headers=api.admin).json()["status"] == "queued":
        assert client.get(f"{api.url}/v1/documents/{first}", headers=api.admin).status_code == 404
        listed = client.get(f"{api.url}/v1/documents", headers=api.admin).json()["documents"]
        assert first not in [d["document_id"] for d in listed]
    assert finished(api, deleted.json())["status"] == "done"
    assert client.get(f"{api.url}/v1/documents/{first}", headers=api.admin).status_code == 404
