"""PDF via pypdf, page by page (page = 1-based physical page), with what PDFs add cleaned away."""

from __future__ import annotations

import logging
from pathlib import Path

from assistant.errors import IngestError
from ingest.cleaning import reflow, remove_running_lines
from ingest.loaders.pdf_layout import cells, split_columns
from ingest.models import LoadedDocument, Page
from ingest.normalise import hyphenated_compounds

log = logging.getLogger(__name__)


def load(path: Path, max_pages: int | None = None) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not _try_empty_password(reader):
            raise IngestError("encrypted PDF: a password is required to read it")
        if max_pages is not None and len(reader.pages) > max_pages:
            raise IngestError(f"PDF of {len(reader.pages)} pages, over the {max_pages}-page limit")
        raw_pages = [_page_lines(page) for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or None
    except IngestError:
        raise
    except (PdfReadError, OSError, RecursionError) as exc:
        raise IngestError(f"unreadable PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc
    except Exception as exc:  # a malformed PDF can make pypdf raise almost anything
        raise IngestError(f"malformed PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc
    if not raw_pages:
        raise IngestError("PDF has no pages")
    cleaned = remove_running_lines(raw_pages)
    compounds = hyphenated_compounds([line for lines in raw_pages for line in lines])
    pages = [Page(number=i, text=reflow(lines, compounds)) for i, lines in enumerate(cleaned, start=1)]
    pages = [page for page in pages if page.text.strip()]
    if not pages:
        raise IngestError("PDF has no extractable text (scanned images need OCR first)")
    return LoadedDocument(pages=pages, source_format="pdf", title=title.strip() if title else None)


def _try_empty_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # pypdf raises several types for unsupported crypto
        return False


def _page_lines(page: object) -> list[str]:
    """Extract a page keeping column layout, so that table rows become tab-separated lines."""
    try:
        text = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except Exception:  # layout mode fails on some fonts; plain mode still gives the words
        text = page.extract_text() or ""  # type: ignore[attr-defined]
    return ["\t".join(cells(line)) for line in split_columns((text or "").splitlines())]
