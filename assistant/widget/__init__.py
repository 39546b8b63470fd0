"""The embeddable chat widget: a script, its stylesheet and a demo host page, served by the API.

Plain JavaScript in a Shadow DOM, no framework and no build step: what is in this folder is what the
browser runs, so a site owner can read it before embedding it."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

ASSETS = {"widget.js": "text/javascript", "widget.css": "text/css", "demo.html": "text/html"}


@cache
def asset(name: str) -> str:
    """The text of one of the widget's files (`ASSETS`)."""
    return files(__package__).joinpath(name).read_text(encoding="utf-8")
