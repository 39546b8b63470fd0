"""Prompt templates live in `prompts/` as files and are loaded by name."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import BackendUnavailable
from assistant.retrieval.passages import Passage

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French"}


def render(name: str, folder: Path, **values: str) -> str:
    path = folder / f"{name}.md"
    try:
        template = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BackendUnavailable(f"prompt {name!r} not found at {path}") from exc
    return template.format(**values).strip()


def numbered_passages(passages: list[Passage]) -> str:
    """Passages as the model sees them: `[n]` then where it comes from, then the text."""
    blocks = []
    for number, passage in enumerate(passages, start=1):
        where = f"{passage.title}, p. {passage.page}" + (
            f", {passage.chunk.section}" if passage.chunk.section else ""
        )
        blocks.append(f"[{number}] ({where})\n{passage.text}")
    return "\n\n".join(blocks)
