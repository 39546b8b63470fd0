"""Producer 1: the document as an HTML page printed by headless Chromium, as a user's "Save as PDF"
makes it: the browser's own header and footer (date and time, title, file URL, "2/9"), ruled tables
whose header row repeats on every page. (Soft hyphens are left to the other producer: Chromium
draws a word holding them as separate runs, which no real printed page does.)"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

from assistant.errors import NotConfigured
from assistant.evaluation.bench.seed_blocks import Block

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
_STYLE = """
body { font: 11pt/1.45 "DejaVu Serif", serif; margin: 0 1.2cm; text-align: justify; }
h1 { font-size: 17pt; } h2 { font-size: 14pt; } h3, h4 { font-size: 12pt; }
table { border-collapse: collapse; margin: 10pt 0; font-size: 9pt; width: 100%; overflow-wrap: anywhere; }
th, td { border: 0.6pt solid #333; padding: 2pt 4pt; vertical-align: top; text-align: left; }
th { background: #e8e8e8; }
"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise NotConfigured("the PDF bench needs Chromium: `apt-get install chromium`")
    return found


def to_html(blocks: list[Block], language: str) -> str:
    """No <title>: the browser then titles the PDF with the file's name, as many real ones are."""
    text = html.escape
    parts = [f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><style>{_STYLE}</style>']
    parts.append("</head><body>")
    for block in blocks:
        if block.kind == "heading":
            parts.append(f"<h{block.level}>{text(block.text)}</h{block.level}>")
        elif block.kind == "bullet":
            parts.append(f"<ul><li>{text(block.text)}</li></ul>")
        elif block.kind == "table":
            head, *rows = block.rows
            parts.append(
                f'<table style="font-size: {_table_points(len(head))}pt"><thead><tr>'
                + "".join(f"<th>{text(c)}</th>" for c in head)
            )
            parts.append("</tr></thead><tbody>")
            for row in rows:
                parts.append("<tr>" + "".join(f"<td>{text(c)}</td>" for c in row) + "</tr>")
            parts.append("</tbody></table>")
        else:
            parts.append(f"<p>{text(block.text)}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def _table_points(columns: int) -> float:
    """Type size that lets a wide table fit the page, as its author would have set it: a browser
    clips whatever overflows the paper, which would leave the ground truth's last columns unprinted."""
    return max(5.0, min(9.0, 9.0 * 8 / max(columns, 1)))


def print_to_pdf(page: str, name: str, out: Path) -> Path:
    """Print `page` (saved as `name`.html, so that its URL and title show the file name) to `out`."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"{name}.html"
        source.write_text(page, encoding="utf-8")
        command = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={out}",
            source.as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
    if not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no PDF for {name}")
    return out
