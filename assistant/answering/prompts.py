"""Prompt templates live in `prompts/` as files and are loaded by name."""

from __future__ import annotations

from pathlib import Path

from assistant.answering.written_checks import Evidence
from assistant.errors import BackendUnavailable

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French"}


def render(name: str, folder: Path, **values: str) -> str:
    path = folder / f"{name}.md"
    try:
        template = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BackendUnavailable(f"prompt {name!r} not found at {path}") from exc
    return template.format(**values).strip()


def numbered_evidence(evidence: list[Evidence]) -> str:
    """Evidence as the model sees it: `[n]`, the document it comes from when that changes, then the
    unit's words. Pages are left out (the product finds each citation's page itself): every token
    read costs a small model on two cores about 17 ms before it writes anything."""
    blocks = []
    for n, unit in enumerate(evidence, start=1):
        same = n > 1 and evidence[n - 2].where == unit.where
        blocks.append(f"[{n}]\n{unit.shown}" if same else f"[{n}] ({unit.where})\n{unit.shown}")
    return "\n\n".join(blocks)
