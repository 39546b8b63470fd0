"""The optional curated list (`entities.yaml` in the corpus folder): names the documents use without
ever spelling out ("UNFCCC"), aliases across languages, and types the rules get wrong.

It only adds to what extraction finds: a curated entry that no document names stays out of the
catalogue, and without the file the catalogue is built the same way from the documents alone."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import yaml

from ingest.entities.models import TYPES, Found

log = logging.getLogger(__name__)


def read_curated(path: Path | None) -> tuple[list[Found], str]:
    """The curated entries, and a digest of the file that changes when it is edited. A missing file
    is no entries; a malformed one is logged and skipped, never stopping an ingest."""
    try:
        if path is None or not path.is_file():
            return [], ""
        raw = path.read_bytes()
    except OSError as exc:
        log.warning("curated entities %s ignored: unreadable (%s)", path, exc)
        return [], ""
    digest = hashlib.sha256(raw).hexdigest()[:12]
    try:
        data = yaml.safe_load(raw) or {}
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        log.warning("curated entities %s ignored: not YAML (%s)", path, exc)
        return [], digest
    items = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(items, list):
        log.warning("curated entities %s ignored: expected a list under 'entities'", path)
        return [], digest
    entries = [entry for item in items if (entry := _entry(item, path))]
    return entries, digest


def _entry(item: object, path: Path) -> Found | None:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
        log.warning("curated entity in %s skipped: it needs a name: %r", path, item)
        return None
    kind = item.get("type")
    if kind not in TYPES:
        log.warning("curated entity %r in %s skipped: type must be one of %s", item["name"], path, TYPES)
        return None
    acronym = item.get("acronym")
    aliases = item.get("aliases") or []
    bad_acronym = acronym is not None and not (isinstance(acronym, str) and acronym.strip())
    bad_aliases = not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases)
    if bad_acronym or bad_aliases:
        log.warning(
            "curated entity %r in %s skipped: acronym and aliases must be non-empty text", item["name"], path
        )
        return None
    names = {a.strip() for a in aliases} | ({acronym.strip()} if acronym else set())
    acronym = acronym.strip() if acronym else None
    return Found(name=item["name"].strip(), type=kind, acronym=acronym, aliases=names, curated=True)
