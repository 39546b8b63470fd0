"""PDF via pypdf, page by page (page = 1-based physical page), with what PDFs add cleaned away."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path

from assistant.errors import IngestError
from ingest.cleaning import mend_table_rows, printed_page_numbers, reflow, remove_running_lines
from ingest.loaders import ocr
from ingest.loaders.pdf_layout import Columns, cells, column_gutter, columns_unsure, split_columns
from ingest.loaders.pdf_tables import page_lines
from ingest.models import LoadedDocument, Page
from ingest.normalise import hyphenated_compounds, normalise_text
from ingest.titles import largest_font_lines, printed_year, usable_metadata_title

log = logging.getLogger(__name__)
_MIN_LETTERS = 20  # fewer on a page that draws an image: a scan (stray characters aside)


def load(
    path: Path,
    max_pages: int | None = None,
    language: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadedDocument:
    """`language` (from the catalogue) picks the OCR model for scanned pages; `progress(done,
    total)` follows their OCR."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not _try_empty_password(reader):
            raise IngestError("encrypted PDF: a password is required to read it")
        if max_pages is not None and len(reader.pages) > max_pages:
            raise IngestError(f"PDF of {len(reader.pages)} pages, over the {max_pages}-page limit")
        read = [_read_layout(_layout_text(page)) for page in reader.pages]
        raw_pages = [lines for lines, _ in read]
        marked = _read_with_pdfplumber(path, raw_pages, [columns for _, columns in read])
        scanned = [
            i
            for i, page in enumerate(reader.pages)
            if _letters(raw_pages[i]) < _MIN_LETTERS and _has_image(page)
        ]
        metadata_title = (reader.metadata.title if reader.metadata else None) or None
        # /PageLabels when the PDF has them (pypdf numbers pages 1, 2, ... when it has none).
        labelled = "/PageLabels" in reader.root_object
        # Labels are short by nature; a hostile one is cut (and escaped wherever it is shown).
        page_labels = [str(label)[:16] for label in reader.page_labels] if labelled else None
        cover = _sized_text(reader.pages[0]) if reader.pages else []
        body = [size for page in reader.pages[1:3] for size, text in _sized_text(page) if text.strip()]
    except IngestError:
        raise
    except (PdfReadError, OSError, RecursionError) as exc:
        raise IngestError(f"unreadable PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc
    except Exception as exc:  # a malformed PDF can make pypdf raise almost anything
        raise IngestError(f"malformed PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc
    if not raw_pages:
        raise IngestError("PDF has no pages")
    texts: dict[int, str] = {}
    no_text = all(_letters(lines) == 0 for lines in raw_pages)
    if scanned and (ocr.available() or no_text):  # a scan with no text at all says how to read it
        texts = ocr.read_pages(path, scanned, language, progress or (lambda done, total: None))
        # OCR replaces a page's text layer only where it read more: a logo page keeps its words.
        texts = {i: t for i, t in texts.items() if _letters(t.splitlines()) > _letters(raw_pages[i])}
        for index, text in texts.items():
            raw_pages[index] = [line.strip() for line in normalise_text(text).splitlines()]
        if no_text and not texts:
            raise IngestError("scanned PDF: OCR found nothing legible on its pages")
    read_by_ocr = {i + 1 for i in texts}
    labels = page_labels or printed_page_numbers(raw_pages)
    cleaned = mend_table_rows(remove_running_lines(raw_pages))
    compounds = hyphenated_compounds([line for lines in raw_pages for line in lines])
    marked -= {i - 1 for i in read_by_ocr}
    pages = [
        Page(
            number=i,
            text=_reflowed(lines, compounds, i - 1 in marked),
            ocr=i in read_by_ocr,
            label=labels[i - 1],
        )
        for i, lines in enumerate(cleaned, start=1)
    ]
    pages = [page for page in pages if page.text.strip()]
    if not pages:
        raise IngestError("PDF has no extractable text (blank pages)")
    # The cover's largest text, once its running lines (a browser's date and address) are gone.
    first = " ".join(pages[0].text.split()) if pages[0].number == 1 else ""
    kept = [(size, text) for size, text in cover if " ".join(text.split()) in first]
    title = usable_metadata_title(metadata_title, path) or largest_font_lines(kept, body)
    year = printed_year(pages[0].text, title) if first else None
    return LoadedDocument(pages=pages, source_format="pdf", title=title.strip() if title else None, year=year)


def _reflowed(lines: list[str], compounds: set[str], breaks_marked: bool) -> str:
    """A page's lines as paragraphs. Blank lines are paragraph breaks only where the reader put
    them there from the page's geometry (`pdf_paragraphs`); pypdf's and OCR's are dropped, as
    they come and go with small changes of spacing (kept, they lowered the bench's Chromium
    training R@5 from 0.796 to 0.776)."""
    if breaks_marked:
        return reflow(lines, compounds, breaks_marked=True)
    return reflow([line for line in lines if line.strip()], compounds)


def _try_empty_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # pypdf raises several types for unsupported crypto
        return False


def _letters(lines: list[str]) -> int:
    return sum(ch.isalpha() for line in lines for ch in line)


def _has_image(page: object) -> bool:
    """Whether the page draws an image (directly or in a form): a page with no text but an image
    is a scan; a page with neither is blank."""
    try:
        resources = page.get("/Resources")  # type: ignore[attr-defined]
        return resources is not None and _images_in(resources.get_object(), depth=0)
    except Exception:
        return False


def _images_in(resources: object, depth: int) -> bool:
    objects = resources.get("/XObject") if hasattr(resources, "get") else None
    if not objects or depth > 3:
        return False
    for reference in objects.get_object().values():
        item = reference.get_object()
        if item.get("/Subtype") == "/Image":
            return True
        if item.get("/Subtype") == "/Form" and _images_in(item.get("/Resources") or {}, depth + 1):
            return True
    return False


def _sized_text(page: object) -> list[tuple[float, str]]:
    """(font size in points, text) of each piece of text on a page, in content order."""
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        # The rendered size: the font size scaled by the text and current matrices' vertical axis.
        c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
        found.append((abs(size) * math.hypot(c, d), normalise_text(text)))

    try:
        page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    except Exception:  # a page pypdf cannot walk has no title to offer
        return []
    return found


def _read_with_pdfplumber(path: Path, raw_pages: list[list[str]], columns: list[Columns]) -> set[int]:
    """Pages read again with pdfplumber where pypdf's character grid falls short
    (`pdf_tables.page_lines`): pages in two columns or maybe in two, and single-column pages whose
    text looks tabular. Returns the pages in two columns whose paragraph breaks are now marked by
    blank lines. A page of one column keeps the text's own cues: there the marks changed which
    paragraphs the reader quotes and lowered the bench's Chromium training must_contain from
    0.658 to 0.592, at the same R@5."""
    pages = [
        i
        for i, lines in enumerate(raw_pages)
        if columns[i] != "one" or sum("\t" in line for line in lines) >= 2
    ]
    marked: set[int] = set()
    if not pages:
        return marked
    import pdfplumber

    try:
        document = pdfplumber.open(path)
    except Exception:  # pdfminer refuses some files pypdf reads: keep pypdf's reading
        return marked
    with document:
        for index in pages:
            page = document.pages[index]
            try:
                read = page_lines(page, raw_pages[index], columns[index], _layout_lines)
                raw_pages[index] = read.lines
                if read.marked and read.two_columns:
                    marked.add(index)
            except Exception:  # a page pdfminer cannot read is kept as pypdf read it
                log.debug("pdfplumber could not read page %d of %s", index + 1, path.name)
            finally:
                page.close()
    return marked


def _layout_text(page: object) -> str:
    """A page's text with its layout kept, so that table rows and columns stay aligned."""
    try:
        text = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except Exception:  # layout mode fails on some fonts; plain mode still gives the words
        text = page.extract_text() or ""  # type: ignore[attr-defined]
    return text or ""


def _read_layout(text: str) -> tuple[list[str], Columns]:
    """Layout text as lines, columns read in order and table cells split by tabs, and whether the
    page is in two columns. Normalised first, so that furniture and hyphenation are judged on
    letters: "ﬁle://" is "file://"."""
    lines = normalise_text(text).splitlines()
    gutter = column_gutter(lines)
    columns: Columns = "two" if gutter is not None else "unsure" if columns_unsure(lines) else "one"
    return ["\t".join(cells(line)) for line in split_columns(lines, gutter)], columns


def _layout_lines(text: str) -> list[str]:
    return _read_layout(text)[0]
