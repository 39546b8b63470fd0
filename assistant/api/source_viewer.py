"""A plain HTML page showing a document's page with the cited quote highlighted (the widget's
viewer will make it pretty)."""

from __future__ import annotations

from html import escape
from urllib.parse import quote as url_quote

from assistant.answering.quotes import find_quote
from ingest.models import DocumentRecord, Page


def render_page(record: DocumentRecord, page: Page, quote: str, last_page: int) -> str:
    text = page.text
    span = find_quote(text, quote) if quote else None
    if span:
        start, end = span
        body = f'{escape(text[:start])}<mark id="quote">{escape(text[start:end])}</mark>{escape(text[end:])}'
    else:
        body = escape(text)
    pages = f"page {page.number}" + (f"–{page.last}" if page.last != page.number else "")
    base = f"/sources/{url_quote(record.document_id)}"
    previous = f'<a href="{base}?page={page.number - 1}">previous page</a>' if page.number > 1 else ""
    following = f'<a href="{base}?page={page.last + 1}">next page</a>' if page.last < last_page else ""
    meta = " · ".join(str(x) for x in (record.publisher, record.year, record.kind) if x)
    return f"""<!doctype html>
<html lang="{escape(record.language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(record.title)} — {pages}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}}
pre{{white-space:pre-wrap;font:inherit}}mark{{background:#ffe066}}</style></head>
<body><header><h1>{escape(record.title)}</h1><p>{escape(meta)}</p><p>{pages}</p></header>
<nav>{previous} {following}</nav><pre>{body}</pre>
<script>document.getElementById("quote")?.scrollIntoView({{block:"center"}})</script></body></html>"""
