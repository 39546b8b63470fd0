"""HTTP calls to the servers the tests start, with a deadline a busy machine can meet.

httpx's default of 5 s is shorter than a first answer takes when both cores are loaded by
other work; a test should fail because the server is wrong, not because the machine is slow.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from typing import Any

import httpx

TIMEOUT = httpx.Timeout(120.0, connect=15.0)


def get(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(url, **{"timeout": TIMEOUT, **kwargs})


def post(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.post(url, **{"timeout": TIMEOUT, **kwargs})


def delete(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.delete(url, **{"timeout": TIMEOUT, **kwargs})


def request(method: str, url: str, **kwargs: Any) -> httpx.Response:
    return httpx.request(method, url, **{"timeout": TIMEOUT, **kwargs})


def options(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.options(url, **{"timeout": TIMEOUT, **kwargs})


def stream(method: str, url: str, **kwargs: Any) -> AbstractContextManager[httpx.Response]:
    return httpx.stream(method, url, **{"timeout": TIMEOUT, **kwargs})


def wait_until_healthy(url: str, seconds: float = 600) -> None:
    """Poll `url` until it answers 200: readiness, not a fixed sleep, decides when a test goes on."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=10).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer 200 within {seconds:.0f} s")
