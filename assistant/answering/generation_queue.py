"""One generation at a time, and a bounded line of questions waiting for it.

A small model on two cores takes 10-20 s an answer and slows down many times over when two run at
once, so generations are served one by one. A question that would wait behind more than `size`
others is refused at once (the API answers 429 with `Retry-After`) instead of timing out later."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from assistant.errors import RateLimited

Observer = Callable[[str, float], None]  # ("wait" | "first_token" | "generation", seconds)


class ModelBusy(RateLimited):
    """The language model's queue is full."""


@dataclass
class GenerationQueue:
    size: int = 4  # questions that may wait while one is generated
    # Until a generation has been timed, a wait is estimated from this many seconds per answer.
    expected_seconds: float = 15.0
    observe: Observer | None = None  # the API reports waits and generation times as metrics
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _state: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _queued: int = field(default=0, init=False)  # waiting or generating

    def check(self) -> None:
        """Refuse now, before an answer starts streaming, when the line is already full."""
        with self._state:
            self._refuse_when_full()

    def _refuse_when_full(self) -> None:
        if self._queued > self.size:
            raise ModelBusy(
                f"the language model is busy ({self._queued - 1} questions waiting); try again shortly",
                retry_after=max(1, round(self._queued * self.expected_seconds)),
            )

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold the model: waits its turn (raises ModelBusy when the line filled up meanwhile)."""
        with self._state:  # checked and joined at once: two questions cannot both take the last place
            self._refuse_when_full()
            self._queued += 1
        try:
            asked = time.perf_counter()
            with self._lock:
                started = time.perf_counter()
                self._report("wait", started - asked)
                try:
                    yield
                finally:
                    took = time.perf_counter() - started
                    self._report("generation", took)
                    self.expected_seconds = 0.8 * self.expected_seconds + 0.2 * took
        finally:
            with self._state:
                self._queued -= 1

    def _report(self, what: str, seconds: float) -> None:
        if self.observe is not None:
            self.observe(what, seconds)
