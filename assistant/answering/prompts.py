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
    """Evidence as the model sees it: `[n]` and where it comes from, then the unit's words."""
    return "\n\n".join(f"[{n}] ({unit.where})\n{unit.shown}" for n, unit in enumerate(evidence, start=1))
