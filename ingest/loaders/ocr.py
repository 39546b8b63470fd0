"""Scanned pages read by Tesseract (Debian's `tesseract-ocr`, with English, Spanish and Portuguese
data): a page is rendered by PDFium, at 300 dpi in greyscale, and read in the document's language
(from the catalogue, else from a first pass over one page in all three)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from assistant.errors import IngestError
from ingest.loaders.pdf_tables import table_rows
from ingest.loaders.scan_layout import Grid, binarised, prepare

INSTALL = (
    "install Tesseract to read scanned pages: "
    "apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-por"
)
DPI = 300
PAGE_SECONDS = 90.0  # under the sandbox's default step limit (120 s), so OCR's own error wins
MIN_WORD_CONFIDENCE = 20.0  # below this a "word" is speckle read as letters
MIN_PAGE_CONFIDENCE = 50.0  # a page whose words average less is not legible
_MODELS = {"en": "eng", "es": "spa+eng", "pt": "por+eng"}
_FIRST_PASS = "eng+spa+por"


def available() -> bool:
    return shutil.which("tesseract") is not None


def read_pages(
    path: Path, indexes: list[int], language: str | None, progress: Callable[[int, int], None]
) -> dict[int, str]:
    """The OCR text of each page (0-based `indexes`); `progress(done, total)` after each page."""
    if not available():
        raise IngestError(f"PDF pages with no text layer: {INSTALL}")
    import pypdfium2 as pdfium

    progress(0, len(indexes))  # the text layer is read: the sandbox's clock restarts for OCR
    document = pdfium.PdfDocument(str(path))
    try:
        pages = {i: _page_image(document[i]) for i in indexes[:1]}
        if language not in _MODELS:
            from ingest.language import detect_language

            first = _read(*pages[indexes[0]], _FIRST_PASS)
            language = detect_language(first, default="en")
        model = _MODELS.get(language or "en", "eng")
        texts: dict[int, str] = {}
        for done, index in enumerate(indexes, start=1):
            texts[index] = _read(
                *(pages.pop(index) if index in pages else _page_image(document[index])), model
            )
            progress(done, len(indexes))
        return texts
    finally:
        document.close()


def _page_image(page: object) -> tuple[Image.Image, Image.Image, list[Grid]]:
    """The page as a clean greyscale image (a median filter takes out a scanner's speckle, which
    Tesseract would otherwise read as stray punctuation), upright; the same without its ruling
    lines; and the grids of its ruled tables (`scan_layout.prepare`)."""
    from PIL import ImageFilter

    bitmap = page.render(scale=DPI / 72, grayscale=True)  # type: ignore[attr-defined]
    return prepare(bitmap.to_pil().convert("L").filter(ImageFilter.MedianFilter(3)))


def _read(page: Image.Image, unruled: Image.Image, grids: list[Grid], model: str) -> str:
    """The page read as text; each table read again on its own, its rules taken out, as one block
    of lines, which keeps a row's cells on one line where the page's layout analysis drops a
    lone digit."""
    tables = []
    for grid in grids:
        left, top, right, bottom = (int(v) for v in grid.box)
        crop = binarised(unruled.crop((left, top, right + 1, bottom + 1)))
        tables.append((grid, list(_words(_tesseract(crop, model, 6), left, top))))
    return legible_text(_tesseract(page, model, 3), tables)


def _tesseract(image: Image.Image, model: str, layout: int) -> str:
    """Tesseract's word table (TSV) for the image, with page segmentation mode `layout`."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    # One thread: the machine's other core serves queries while an upload is read.
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", model, "--psm", str(layout), "tsv"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=PAGE_SECONDS,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError(f"OCR of a page took over {PAGE_SECONDS:.0f} s") from exc
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise IngestError(f"Tesseract failed: {reason[0][:160]}")
    return done.stdout.decode("utf-8", errors="replace")


def legible_text(tsv: str, tables: Sequence[tuple[Grid, list[_Word]]] = ()) -> str:
    """The page's text from Tesseract's word table, in its lines and paragraphs, each ruled table
    as tab-separated rows where it stands, from the words read in its grid on their own (the
    page's words inside a grid are dropped); "" when the page's words are mostly guesses (a blank
    or smudged page reads as confident nonsense otherwise)."""
    grids = [grid for grid, _ in tables]
    cells: list[dict[tuple[int, int], list[str]]] = [{} for _ in tables]
    lines: dict[tuple[str, str, str], list[str]] = {}
    tops: dict[tuple[str, str, str], float] = {}
    confidences: list[float] = []
    for word in _words(tsv):
        confidences.append(word.confidence)
        if word.confidence >= MIN_WORD_CONFIDENCE and not any(g.cell(*word.centre) for g in grids):
            lines.setdefault(word.line, []).append(word.text)
            tops.setdefault(word.line, word.top)
    for found, (grid, read) in zip(cells, tables, strict=True):
        for word in read:
            at = grid.cell(*word.centre) if word.confidence >= MIN_WORD_CONFIDENCE else None
            if at is not None:
                found.setdefault(at, []).append(word.text)
    if not confidences or sum(confidences) / len(confidences) < MIN_PAGE_CONFIDENCE:
        return ""
    text: list[str] = []
    previous = None
    pending = sorted(zip(grids, cells, strict=True), key=lambda pair: pair[0].rows[0])
    for line, words in lines.items():
        while pending and pending[0][0].rows[0] < tops[line]:
            text.extend(["", *_rows(*pending.pop(0)), ""])
            previous = None
        if previous is not None and previous != line[:2]:
            text.append("")
        text.append(" ".join(words))
        previous = line[:2]
    for grid, found in pending:
        text.extend(["", *_rows(grid, found), ""])
    return "\n".join(text).strip()


@dataclass(frozen=True)
class _Word:
    line: tuple[str, str, str]  # Tesseract's block, paragraph and line numbers
    left: float
    top: float
    width: float
    height: float
    confidence: float
    text: str

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


def _words(tsv: str, left: int = 0, top: int = 0) -> Iterator[_Word]:
    """The recognised words of a Tesseract word table (rows of level 5 with text), their boxes
    moved by (`left`, `top`): a crop's words placed back on its page."""
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or not fields[11].strip() or float(fields[10]) < 0:
            continue
        x, y, width, height = (float(v) for v in fields[6:10])
        yield _Word(
            (fields[2], fields[3], fields[4]), x + left, y + top, width, height, float(fields[10]), fields[11]
        )


def _rows(grid: Grid, cells: dict[tuple[int, int], list[str]]) -> list[str]:
    """A ruled table's rows, tab-separated, its header rows merged as in a PDF's tables."""
    width = len(grid.columns) - 1
    rows: list[list[str | None]] = [
        [" ".join(cells.get((r, c), [])) for c in range(width)] for r in range(len(grid.rows) - 1)
    ]
    return table_rows(rows)
