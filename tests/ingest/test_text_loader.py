from pathlib import Path

import pytest

from assistant.errors import IngestError
from ingest.loaders import load_file
from ingest.loaders.text import split_pages


def test_page_markers_give_printed_pages_and_are_not_text() -> None:
    text = "Intro on page one.\n\n1\n\nSecond page text.\n\n## 2\n\nThird page.\n\n## **3**\n\nTail."
    pages = split_pages(text)
    assert [(p.number, p.last) for p in pages] == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert all(p.text.strip() not in {"1", "## 2", "## **3**"} for p in pages)
    assert "Second page text." in pages[1].text


def test_sparse_markers_become_page_ranges() -> None:
    pages = split_pages("alpha\n\n## 4\n\nbeta\n\n## 6\n\ngamma")
    assert [(p.number, p.last) for p in pages] == [(1, 4), (5, 6), (7, 7)]


def test_numbers_inside_tables_are_not_page_markers() -> None:
    pages = split_pages("Country\tTotal\nBrazil\t18\n\t7\t\n\nafter")
    assert len(pages) == 1
    assert "\t7\t" in pages[0].text


def test_empty_and_binary_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\x00\x01\x02garbage")
    for path in (empty, binary):
        with pytest.raises(IngestError):
            load_file(path)


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(IngestError, match="unsupported"):
        load_file(path)
