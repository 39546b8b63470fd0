"""Cut blocks into chunks along structure: sections first, then size; tables keep their header."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.settings import ChunkingSettings
from ingest.models import Block, ChunkKind

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“(¿¡A-ZÀ-Ý0-9])")


@dataclass(frozen=True)
class ChunkDraft:
    """A chunk before it gets its id: text plus where it comes from."""

    text: str
    page: int
    page_end: int
    section: str
    kind: ChunkKind


def chunk_blocks(blocks: list[Block], options: ChunkingSettings) -> list[ChunkDraft]:
    drafts: list[ChunkDraft] = []
    pending: list[Block] = []
    list_intro: Block | None = None
    min_chars = options.target_chars // 3

    def body_len() -> int:
        return sum(len(b.text) + 1 for b in pending)

    def flush(carry_headings: bool = True) -> list[Block]:
        """Emit pending blocks; trailing headings move on to open the next chunk."""
        nonlocal pending
        carried: list[Block] = []
        if carry_headings:
            while pending and pending[-1].kind == "heading":
                carried.insert(0, pending.pop())
        if any(b.kind != "heading" for b in pending):
            drafts.append(_text_draft(pending))
        pending = carried
        return carried

    for block in blocks:
        if block.kind == "table":
            flush()
            drafts.extend(_table_drafts(block, options.table_max_chars))
            pending = []  # headings just above a table live on in its section path
            continue
        if block.kind == "heading":
            if body_len() >= min_chars and pending[-1].kind != "heading":
                flush()
            pending.append(block)
            list_intro = None
            continue
        if block.kind == "paragraph":
            list_intro = block if block.text.rstrip().endswith(":") else None
        if len(block.text) > options.max_chars:
            flush()
            heads = list(pending)
            pending = []
            for piece in _split_long(block.text, options.target_chars):
                drafts.append(_text_draft([*heads, _with_text(block, piece)]))
                heads = []
            continue
        if body_len() + len(block.text) > options.target_chars and any(b.kind != "heading" for b in pending):
            flush()
            if block.kind == "list_item" and list_intro is not None and list_intro not in pending:
                pending.insert(0, list_intro)  # a list continued in a new chunk keeps its lead-in
        pending.append(block)
    if not drafts and pending and all(b.kind == "heading" for b in pending):
        # Only short lines, all read as headings ("Hello, World!", a form's labels): they are the
        # document's whole text, so they are its content.
        drafts.append(_text_draft(pending))
    else:
        flush(carry_headings=False)
    return drafts


def _with_text(block: Block, text: str) -> Block:
    return Block(block.kind, text, block.page, block.page_end, block.section)


def _text_draft(blocks: list[Block]) -> ChunkDraft:
    body = [b for b in blocks if b.kind != "heading"] or blocks
    return ChunkDraft(
        text="\n".join(b.text for b in blocks),
        page=min(b.page for b in blocks),
        page_end=max(b.page_end for b in blocks),
        section=" > ".join(body[0].section),
        kind="text",
    )


def _table_drafts(block: Block, max_chars: int) -> list[ChunkDraft]:
    """A small table stays whole; a large one is cut by rows, each piece repeating caption and header."""
    head = [line for line in [block.caption, *block.header] if line]
    section = " > ".join(block.section)
    head_len = sum(len(line) + 1 for line in head)
    pieces: list[list[str]] = [[]]
    size = head_len
    for row in block.rows or [""]:
        if pieces[-1] and size + len(row) + 1 > max_chars:
            pieces.append([])
            size = head_len
        pieces[-1].append(row)
        size += len(row) + 1
    return [
        ChunkDraft(
            text="\n".join([*head, *rows]).strip("\n"),
            page=block.page,
            page_end=block.page_end,
            section=section,
            kind="table",
        )
        for rows in pieces
    ]


def _split_long(text: str, target: int) -> list[str]:
    """Split an over-long paragraph at sentence ends, about `target` characters a piece."""
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + len(sentence) + 1 > target:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
        while len(current) > 2 * target:  # no sentence ends at all: cut at a space
            cut = current.rfind(" ", 0, target) if " " in current[:target] else target
            pieces.append(current[:cut])
            current = current[cut:].strip()
    if current:
        pieces.append(current)
    return pieces
