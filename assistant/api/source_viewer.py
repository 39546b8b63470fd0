"""The page a citation opens: the document's page text with the quote highlighted and scrolled into
view, the document's catalogue entry, and the way to the pages around it and to the original file.

Server-rendered HTML with every stored string escaped: it must open from a Slack message or an
e-mail as well as from the widget, so it needs no script to show the text."""

from __future__ import annotations

from html import escape
from urllib.parse import quote as url_quote

from assistant.answering.quotes import find_quote
from ingest.models import DocumentRecord, Page

_STYLE = """
body{font:17px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;margin:0;
background:#f7f7f8}
main{max-width:50rem;margin:0 auto;padding:1rem 1.25rem 3rem;background:#fff;min-height:100vh}
header h1{font-size:1.35rem;line-height:1.3;margin:.5rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;font-size:.9rem;margin:0 0 1rem}
dt{color:#4b5563}dd{margin:0}
nav{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;font-size:.95rem;padding:.5rem 0;
border-top:1px solid #e5e7eb;border-bottom:1px solid #e5e7eb}
nav .pages{font-weight:600;margin-right:auto}
a{color:#0b57d0}
pre{white-space:pre-wrap;font:inherit;overflow-wrap:anywhere}
mark{background:#ffe066;color:#1f2937;padding:0 .1em;outline:2px solid #e0a800}
.missing{background:#fdecee;color:#a40e26;padding:.5rem .75rem;border-radius:6px}
"""


def render_page(record: DocumentRecord, page: Page, quote: str, last_page: int) -> str:
    text = page.text
    span = find_quote(text, quote) if quote else None
    if span:
        start, end = span
        body = f'{escape(text[:start])}<mark id="quote">{escape(text[start:end])}</mark>{escape(text[end:])}'
    else:
        body = escape(text)
    missing = (
        '<p class="missing" role="note">The quoted words are not on this page.</p>'
        if quote and not span
        else ""
    )
    pages = f"Page {page.number}" + (f"–{page.last}" if page.last != page.number else "") + f" of {last_page}"
    if page.label and page.label != str(page.number):
        pages += f" (printed {escape(page.label)})"
    if page.ocr:
        pages += " · read by OCR from a scan"
    base = f"/sources/{url_quote(record.document_id)}"
    links = []
    if page.number > 1:
        links.append(f'<a href="{base}?page={page.number - 1}" rel="prev">← Previous page</a>')
    if page.last < last_page:
        links.append(f'<a href="{base}?page={page.last + 1}" rel="next">Next page →</a>')
    if record.source_format == "pdf":
        original = f"/v1/documents/{url_quote(record.document_id)}/file#page={page.number}"
        links.append(f'<a href="{original}">Original PDF at this page</a>')
    entry = "".join(
        f"<dt>{label}</dt><dd>{escape(str(value))}</dd>"
        for label, value in (
            ("Publisher", record.publisher),
            ("Year", record.year),
            ("Kind", record.kind),
            ("Language", record.language),
        )
        if value
    )
    scroll = (
        '<script>document.getElementById("quote").scrollIntoView({block:"center"})</script>' if span else ""
    )
    return f"""<!doctype html>
<html lang="{escape(record.language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(record.title)} — {pages}</title><style>{_STYLE}</style></head>
<body><main><header><h1>{escape(record.title)}</h1><dl>{entry}</dl></header>
<nav aria-label="Pages"><span class="pages">{pages}</span>{"".join(links)}</nav>
{missing}<pre>{body}</pre></main>{scroll}</body></html>"""
