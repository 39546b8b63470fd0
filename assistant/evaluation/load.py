"""A bounded load test: N concurrent clients ask questions for S seconds; every status counted,
latency percentiles of the answers. Run it from a second process, as a real client would."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from typing import Any

import httpx


async def _run(
    base_url: str, questions: list[str], clients: int, seconds: float, key: str | None
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    headers = {"X-API-Key": key} if key else {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=300, limits=limits) as client:

        async def one_client(number: int) -> None:
            turn = number
            while time.monotonic() < deadline:
                question = questions[turn % len(questions)]
                turn += clients
                started = time.perf_counter()
                try:
                    response = await client.post("/v1/ask", json={"question": question})
                except httpx.HTTPError as exc:
                    outcomes[type(exc).__name__] += 1
                    continue
                outcomes[str(response.status_code)] += 1
                if response.status_code == 200:
                    latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(one_client(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    total = sum(outcomes.values())
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "errors": total - outcomes["200"],
        "outcomes": dict(outcomes),
        "answers_per_second": round(outcomes["200"] / elapsed, 2) if elapsed else 0.0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1)
        if latencies
        else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
    }


def run_load(
    base_url: str, questions: list[str], clients: int, seconds: float, key: str | None
) -> dict[str, Any]:
    return asyncio.run(_run(base_url.rstrip("/"), questions, clients, seconds, key))
