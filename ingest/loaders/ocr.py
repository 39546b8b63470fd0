"""Scanned pages read by Tesseract (Debian's `tesseract-ocr`, with English, Spanish and Portuguese
data): a page is rendered by PDFium, at 300 dpi in greyscale, and read in the document's language
(from the catalogue, else from a first pass over one page in all three)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from assistant.errors import IngestError

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
        images = {i: _png(document[i]) for i in indexes[:1]}
        if language not in _MODELS:
            from ingest.language import detect_language

            language = detect_language(_tesseract(images[indexes[0]], _FIRST_PASS), default="en")
        model = _MODELS.get(language or "en", "eng")
        texts: dict[int, str] = {}
        for done, index in enumerate(indexes, start=1):
            image = images.pop(index, None) or _png(document[index])
            texts[index] = _tesseract(image, model)
            progress(done, len(indexes))
        return texts
    finally:
        document.close()


def _png(page: object) -> bytes:
    """The page as a clean greyscale image: a median filter takes out a scanner's speckle, which
    Tesseract would otherwise read as stray punctuation."""
    import io

    from PIL import ImageFilter

    bitmap = page.render(scale=DPI / 72, grayscale=True)  # type: ignore[attr-defined]
    image = bitmap.to_pil().convert("L").filter(ImageFilter.MedianFilter(3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _tesseract(png: bytes, model: str) -> str:
    # One thread: the machine's other core serves queries while an upload is read.
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", model, "--psm", "3", "tsv"],
            input=png,
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
    return legible_text(done.stdout.decode("utf-8", errors="replace"))


def legible_text(tsv: str) -> str:
    """The page's text from Tesseract's word table, in its lines and paragraphs; "" when its words
    are mostly guesses (a blank or smudged page reads as confident nonsense otherwise)."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip():
            continue
        confidence = float(cells[10])
        if confidence < 0:
            continue
        confidences.append(confidence)
        if confidence >= MIN_WORD_CONFIDENCE:
            lines.setdefault((cells[2], cells[3], cells[4]), []).append(cells[11])
    if not confidences or sum(confidences) / len(confidences) < MIN_PAGE_CONFIDENCE:
        return ""
    text, previous = [], None
    for (block, paragraph, _), words in lines.items():
        if previous is not None and previous != (block, paragraph):
            text.append("")
        text.append(" ".join(words))
        previous = (block, paragraph)
    return "\n".join(text)
