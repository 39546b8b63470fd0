"""The lexical index on a corpus large enough for its pruning to apply: a word in most chunks is
left out of the query, so a query is not a scan, and the distinctive words still decide."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ingest.document_store import MIN_CHUNKS_TO_PRUNE, DocumentStore, Filters
from ingest.models import Chunk, DocumentRecord, Page


def test_common_terms_are_left_out_on_a_large_index(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "index.sqlite")
    per_document = 500
    for number in range(MIN_CHUNKS_TO_PRUNE // per_document + 1):
        document_id = f"d{number}"
        chunks = []
        for i in range(per_document):
            rare = " The Perez-Guerrero Trust Fund approved it." if (number, i) in {(0, 3), (4, 7)} else ""
            text = f"South-South cooperation project {number}-{i} in the region.{rare}"
            chunks.append(Chunk(f"{document_id}:v:{i:05d}", document_id, i, text, 1, 1, "", "text", "en"))
        record = DocumentRecord(
            document_id, f"/{document_id}.md", "0" * 64, document_id, "en", "markdown", 1, per_document
        )
        store.replace_document(record, [Page(1, "page")], chunks, np.zeros(4, dtype=np.float32))
    try:
        found = store.lexical_search(["cooper", "region", "guerrero", "trust"], 10, Filters())
        assert [chunk_id for chunk_id, _ in found] in (
            ["d0:v:00003", "d4:v:00007"],
            ["d4:v:00007", "d0:v:00003"],
        )  # only the distinctive terms were matched: the other 5,498 chunks were never scored
        common_only = store.lexical_search(["cooper", "region"], 5, Filters())
        assert len(common_only) == 5  # all terms common: the rarest still search
        filtered = store.lexical_search(["guerrero"], 5, Filters(document_ids=["d4"]))
        assert [chunk_id for chunk_id, _ in filtered] == ["d4:v:00007"]
    finally:
        store.close()
