"""Finding a quote in stored page text, where Markdown emphasis and line breaks may sit between
(or inside) its words. The eval's verbatim check and the source viewer's highlight use the same
rule."""

from __future__ import annotations

import re

_MARKUP = re.compile(r"\*\*|__|</?(?:b|strong|i|em)>", re.I)


def find_quote(page_text: str, quote: str) -> tuple[int, int] | None:
    """Start and end of `quote` in `page_text`, ignoring emphasis markup and whitespace runs."""
    words = _MARKUP.sub("", quote).split()
    if not words:
        return None
    plain, origin = _without_markup(page_text)
    match = re.search(r"\s+".join(re.escape(word) for word in words), plain)
    if match is None:
        return None
    return origin[match.start()], origin[match.end() - 1] + 1


def _without_markup(text: str) -> tuple[str, list[int]]:
    """The text with markup removed, and for each kept character its position in the original."""
    kept: list[str] = []
    origin: list[int] = []
    position = 0
    for markup in _MARKUP.finditer(text):
        kept.append(text[position : markup.start()])
        origin.extend(range(position, markup.start()))
        position = markup.end()
    kept.append(text[position:])
    origin.extend(range(position, len(text)))
    return "".join(kept), origin
