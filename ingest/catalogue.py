"""The corpus catalogue (`catalogue.yaml` beside the files): title, publisher, year, kind, language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CATALOGUE_NAME = "catalogue.yaml"


@dataclass(frozen=True)
class CatalogueEntry:
    title: str | None = None
    publisher: str | None = None
    year: int | None = None
    kind: str | None = None
    language: str | None = None


def entry_for(path: Path) -> CatalogueEntry:
    """The entry for a file from the catalogue in its folder; an empty entry when there is none."""
    entries = _read(path.parent / CATALOGUE_NAME, _mtime(path.parent / CATALOGUE_NAME))
    raw = entries.get(path.name, {})
    year = raw.get("year")
    return CatalogueEntry(
        title=_text(raw.get("title")),
        publisher=_text(raw.get("publisher")),
        year=int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
        kind=_text(raw.get("kind")),
        language=_language(raw.get("language")),
    )


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=32)
def _read(path: Path, mtime: float) -> dict[str, dict]:
    if not mtime:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, dict):
        return {}  # an empty or malformed catalogue describes nothing; ingest goes on without it
    return {str(k): v for k, v in documents.items() if isinstance(v, dict)}


def _language(value: object) -> str | None:
    """An ISO 639-1 code ("es"); anything else is ignored so that detection decides."""
    code = str(value).strip().lower() if value is not None else ""
    return code if len(code) == 2 and code.isalpha() else None


def _text(value: object) -> str | None:
    return " ".join(str(value).split()) if value not in (None, "") else None
