"""Turn page text into structural blocks (headings, paragraphs, list items, tables) with section paths."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.models import Block, Page
from ingest.text_analysis import fold

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$")
_EMPHASIS = re.compile(r"(\*\*|__|<\/?b>|<\/?strong>|<\/?i>|<\/?em>)", re.I)
_NUMBERING = re.compile(
    r"^(?:(?i:area|área|programme|program|programa|project|proyecto|projeto|activity|actividad|atividade|"
    r"annex|anexo|chapter|cap[ií]tulo|section|secci[oó]n|se[cç][aã]o|part|parte|t[ií]tulo)\s+)?"
    r"((?:[IVXLC]{1,6}|\d{1,3})(?:\.(?:[IVXLC]{1,6}|\d{1,3}))*)(?:[.):-]|\s|$)"
)
# On a plain line (no Markdown, no bold) a heading's number must look like one: "2.", "2.3", "IV)",
# or follow a keyword ("Section II"); "4 Ibid" is a footnote, not a heading.
_PLAIN_NUMBERED = re.compile(
    r"^(?:(?i:area|área|programme|program|programa|project|proyecto|projeto|activity|actividad|atividade|"
    r"annex|anexo|chapter|cap[ií]tulo|section|secci[oó]n|se[cç][aã]o|part|parte)\s+(?:[IVXLC]{1,6}|\d{1,3})"
    r"|(?:[IVXLC]{1,6}|\d{1,3})(?:\.(?:[IVXLC]{1,6}|\d{1,3}))*[.)]"
    r"|\d{1,3}(?:\.\d{1,3})+)(?:\s|$|:)"
)
_LETTERED = re.compile(r"^[A-H][.)]\s+\S")
_LIST_ITEM = re.compile(
    r"^\s*(?:[-•▪●◦*]\s+|\(?(?:[ivx]{1,4}|\d{1,2}|[a-h])\)\s+|\d{1,2}\.\s+|[ivx]{1,4}\.\s+)", re.I
)
_CAPTION = re.compile(
    r"^(?:table|tabla|tabela|cuadro|quadro|figure|figura|chart|gr[aá]fico|annex|anexo)\b", re.I
)
_NUMERIC_CELL = re.compile(r"^[\d.,%$€x×хX\- ]+$")


@dataclass
class _Line:
    text: str
    page: int
    page_end: int


@dataclass
class _Heading:
    title: str
    level: float
    numbered: bool
    marked: bool = True  # Markdown or bold; a plain line is only guessed to be a heading


def parse_blocks(pages: list[Page]) -> list[Block]:
    """Read pages in order into blocks; the section stack carries across page breaks."""
    lines = list(_lines(pages))
    recurring = _recurring_titles(lines)
    blocks: list[Block] = []
    stack: list[_Heading] = []
    next_item: int | None = None  # after a lead-in ending in ":", plain "1.", "2.", ... lines are items
    last_item = 0  # index in `blocks` just after the latest such item
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text.strip()
        if not text:
            i += 1
            continue
        if "\t" in line.text:
            i = _read_table(lines, i, blocks, _path(stack))
            continue
        if next_item is not None and _item_number(text) == next_item:
            blocks.append(Block("list_item", _clean(text), line.page, line.page_end, _path(stack)))
            next_item += 1
            last_item = len(blocks)
            i += 1
            continue
        heading = _heading(text, _standalone(lines, i))
        in_list = next_item is not None and len(blocks) - last_item <= 3
        if heading is not None and in_list and not heading.marked and not heading.numbered:
            heading = None  # a plain short line amid a numbered list belongs to it (or is page furniture)
        if heading is not None:
            next_item = None
            _push(stack, heading, _recurrence_key(heading.title) in recurring)
            blocks.append(Block("heading", heading.title, line.page, line.page_end, _path(stack)))
            i += 1
            continue
        if _LIST_ITEM.match(text):
            blocks.append(Block("list_item", _clean(text), line.page, line.page_end, _path(stack)))
            i += 1
            continue
        # A paragraph: consecutive non-blank, non-table lines.
        parts, page, page_end = [text], line.page, line.page_end
        i += 1
        while i < len(lines) and lines[i].text.strip() and "\t" not in lines[i].text:
            nxt = lines[i].text.strip()
            if _LIST_ITEM.match(nxt) or _MD_HEADING.match(nxt):
                break
            parts.append(nxt)
            page_end = lines[i].page_end
            i += 1
        paragraph = Block("paragraph", _clean(" ".join(parts)), page, page_end, _path(stack))
        if _continues(blocks[-1] if blocks else None, paragraph):
            previous = blocks[-1]
            previous.text = f"{previous.text} {paragraph.text}"
            previous.page_end = paragraph.page_end
        else:
            blocks.append(paragraph)
        if blocks[-1].text.endswith(":"):
            next_item, last_item = 1, len(blocks)
    return blocks


def _continues(previous: Block | None, paragraph: Block) -> bool:
    """A page break cut this paragraph: the last one stops mid-sentence on an earlier page, and
    this one goes on in lower case, or the last one ends on a comma or a word no sentence ends on
    ("… between Chile, Haiti and the" / "Dominican Republic …")."""
    if (
        previous is None
        or previous.kind not in ("paragraph", "list_item")
        or previous.page_end >= paragraph.page
        or previous.text.endswith((".", "!", "?", ":", ";"))
    ):
        return False
    words = previous.text.split()
    last = words[-1] if words else ""
    return paragraph.text[:1].islower() or last.endswith(",") or fold(last) in _MID_SENTENCE


# Words a sentence does not end on (articles, prepositions, conjunctions) in EN/ES/PT.
_MID_SENTENCE_WORDS = (
    "the a an of and or to in on for with by from as at between among "
    "el la los las un una de del y o e en con por para entre al "
    "os um uma do da dos das em no na nos nas com pelo pela"
)
_MID_SENTENCE = frozenset(_MID_SENTENCE_WORDS.split())


def _item_number(text: str) -> int | None:
    """The number of a plain "3. Title" line (not Markdown, not bold), else None."""
    match = re.match(r"^(\d{1,2})[.)]\s+\S", text)
    return int(match.group(1)) if match else None


def _recurring_titles(lines: list[_Line]) -> set[str]:
    """Headings whose first words recur three times or more ("Funding", "Rationale for ...") are
    subsection labels."""
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        text = line.text.strip()
        if text and "\t" not in text:
            heading = _heading(text, _standalone(lines, i))
            if heading is not None:
                key = _recurrence_key(heading.title)
                counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n >= 3}


def _recurrence_key(title: str) -> str:
    """ "Thematic areas covered by FAO" and "... by ILO" recur as one subsection label."""
    return " ".join(title.lower().split()[:2])


def _standalone(lines: list[_Line], i: int) -> bool:
    """Blank lines around; not the caption of a table that follows, nor a sentence that a page
    break cut (the text after it goes on in lower case)."""
    if not (_blank(lines, i - 1) and _blank(lines, i + 1)):
        return False
    j = i + 1
    while j < len(lines) and not lines[j].text.strip():
        j += 1
    if j >= len(lines):
        return True
    following = lines[j].text.strip()
    return "\t" not in lines[j].text and not following[:1].islower()


def _lines(pages: list[Page]) -> Iterator[_Line]:
    for page in pages:
        for raw in page.text.splitlines():
            yield _Line(raw.rstrip(), page.number, page.last)
        yield _Line("", page.number, page.last)


def _blank(lines: list[_Line], i: int) -> bool:
    return i < 0 or i >= len(lines) or not lines[i].text.strip()


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _EMPHASIS.sub("", text)).strip()


def _heading(text: str, standalone: bool) -> _Heading | None:
    """Recognise a heading and give it a level: numbering depth wins over Markdown's `#` count."""
    md = _MD_HEADING.match(text)
    bold = _BOLD_LINE.match(text)
    title = _clean(md.group(2) if md else bold.group(1) if bold else text)
    if not title or len(title) > 160 or "http" in title or "<" in title:
        return None
    if not (md or bold) and not _plain_heading(title, standalone):
        return None
    marked = bool(md or bold)
    if _LETTERED.match(title):  # before numbering: "C. Expected results" is a letter, not roman 100
        return _Heading(title, 10.0, numbered=False, marked=marked)
    numbering = _NUMBERING.match(title)
    keyword = numbering is not None and not title[:1].isdigit() and " " in title[: numbering.end()].strip()
    if numbering and (len(title) > numbering.end() or keyword):
        depth = numbering.group(1).count(".") + 1
        return _Heading(title, float(depth), numbered=True, marked=marked)
    return _Heading(title, float(len(md.group(1))) if md else 1.0, numbered=False, marked=marked)


def _plain_heading(title: str, standalone: bool) -> bool:
    """A short standalone line without closing punctuation, starting with a capital or a number."""
    if not standalone or len(title) > 90 or len(title.split()) > 14:
        return False
    letters = [c for c in title if c.isalpha()]
    if len(letters) < 3 or not (title[0].isupper() or title[0].isdigit()):
        return False
    all_caps = all(c.isupper() for c in letters)
    if title[0].isdigit() and not _PLAIN_NUMBERED.match(title):
        return False  # "4 Ibid" is a footnote
    return not title.endswith((".", ",", ";")) and (all_caps or not title.endswith(":"))


def _push(stack: list[_Heading], heading: _Heading, recurring: bool) -> None:
    """Unnumbered headings nest under the deepest numbered one; recurring ones one step deeper."""
    if not heading.numbered and heading.level < 10:
        numbered = [h.level for h in stack if h.numbered]
        if numbered:
            heading.level = max(numbered) + 0.5
        if recurring:
            heading.level += 0.25
    while stack and stack[-1].level >= heading.level:
        stack.pop()
    stack.append(heading)


def _path(stack: list[_Heading]) -> tuple[str, ...]:
    return tuple(h.title for h in stack)


def _read_table(lines: list[_Line], i: int, blocks: list[Block], section: tuple[str, ...]) -> int:
    """Collect a table (tab-separated rows, blank lines allowed inside) with its caption and header."""
    rows: list[_Line] = []
    while i < len(lines):
        if "\t" in lines[i].text:
            if lines[i].text.strip():
                rows.append(lines[i])
            i += 1
        elif not lines[i].text.strip() and i + 1 < len(lines) and "\t" in lines[i + 1].text:
            i += 1
        else:
            break
    cells = [[_clean(c) for c in row.text.split("\t")] for row in rows]
    rows_text = ["\t".join(c).rstrip("\t ") for c in cells]
    keep = [k for k, text in enumerate(rows_text) if text.strip()]
    rows, cells, rows_text = [rows[k] for k in keep], [cells[k] for k in keep], [rows_text[k] for k in keep]
    if not rows:
        return i
    header_count = _header_rows(cells)
    caption = _take_caption(blocks, section)
    blocks.append(
        Block(
            "table",
            "\n".join(rows_text),
            rows[0].page,
            rows[-1].page_end,
            section,
            caption=caption,
            header=rows_text[:header_count],
            rows=rows_text[header_count:],
        )
    )
    return i


def _header_rows(cells: list[list[str]]) -> int:
    """Rows before the first one carrying numbers or marks are header rows (at most three)."""
    for k, row in enumerate(cells[:4]):
        values = [c for c in row[1:] if c]
        if values and any(_NUMERIC_CELL.match(c) for c in values):
            return min(max(k, 1), 3) if len(cells) > 1 else 0
    return 1 if len(cells) > 1 else 0


def _take_caption(blocks: list[Block], section: tuple[str, ...]) -> str:
    """Short title-like paragraphs right before a table ("Table 2", its title) become its caption."""
    caption: list[str] = []
    while blocks and len(caption) < 2:
        last = blocks[-1]
        if last.kind != "paragraph" or len(last.text) > 160 or last.section != section:
            break
        if last.text.endswith((".", ";", ",")) and not _CAPTION.match(last.text):
            break  # a sentence, not a title
        caption.insert(0, blocks.pop().text)
    return "\n".join(caption)
