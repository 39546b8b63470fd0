"""Word documents via python-docx: heading styles become sections, tables stay tables.

DOCX has no fixed pages, so the whole document is page 1.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from assistant.errors import IngestError
from ingest.models import LoadedDocument, Page

_HEADING_STYLE = re.compile(r"^(?:heading|título|titulo|título)\s*(\d)", re.I)


def load(path: Path) -> LoadedDocument:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise IngestError("DOCX support needs python-docx: pip install python-docx") from exc
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError(f"unreadable DOCX ({type(exc).__name__})") from exc
    except Exception as exc:  # python-docx's PackageNotFoundError, lxml's XMLSyntaxError, ...
        raise IngestError(f"malformed DOCX ({type(exc).__name__}: {str(exc)[:120]})") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            match = _HEADING_STYLE.match(paragraph.style.name if paragraph.style is not None else "")
            lines.append(f"{'#' * int(match.group(1))} {text}" if match else text)
            lines.append("")
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                lines.append("\t".join(cell.text.strip().replace("\n", " ") for cell in row.cells))
            lines.append("")
    text = "\n".join(lines).strip()
    if not text:
        raise IngestError("DOCX has no text")
    title = (document.core_properties.title or "").strip() or None
    return LoadedDocument(pages=[Page(number=1, text=text)], source_format="docx", title=title)
