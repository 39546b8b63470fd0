"""Another question holding the language model: the generation queue's slot held from a thread,
so that a test can ask while the model is busy."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from assistant.answering.generation_queue import GenerationQueue


@contextmanager
def model_held(queue: GenerationQueue) -> Iterator[Callable[[], None]]:
    """Holds the slot until the block ends, or until the function it gives is called."""
    held, release = threading.Event(), threading.Event()

    def another_question() -> None:
        with queue.slot():
            held.set()
            release.wait(30)

    holder = threading.Thread(target=another_question)
    holder.start()

    def let_go() -> None:
        release.set()
        holder.join()

    try:
        assert held.wait(10), "the other question never got the model"
        yield let_go
    finally:
        let_go()
