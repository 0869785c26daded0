"""Drives runners through the bridge's real ``Engine`` (as the stdio worker does), for pytest."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from baton_bridge.engine import Engine


class EngineRun:
    """One run started on an Engine; collects its progress events and its reply."""

    def __init__(self, engine: Engine, call_id: str) -> None:
        self.engine = engine
        self.call_id = call_id
        self.events: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.done: asyncio.Future = engine.loop.create_future()

    def on_progress(self, params: dict) -> None:
        with self.lock:
            self.events.append(params["event"])

    def on_done(self, result: dict | None, error: dict | None) -> None:
        self.done.set_result((result, error))

    def types(self) -> list[str]:
        with self.lock:
            return [event.get("type") for event in self.events]

    async def wait_for_event(self, predicate: Callable[[dict], bool], timeout: float = 60.0) -> dict:
        """Waits (bounded) until an event matching `predicate` arrived."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            with self.lock:
                found = next((event for event in self.events if predicate(event)), None)
            if found is not None:
                return found
            if self.done.done():
                raise AssertionError(f"run ended before the awaited event: {self.done.result()}")
            await asyncio.sleep(0.02)
        raise AssertionError(f"no matching event within {timeout}s; got {self.types()}")

    async def reply(self, timeout: float = 120.0) -> tuple[dict | None, dict | None]:
        return await asyncio.wait_for(asyncio.shield(self.done), timeout)


_counter = 0


def start(
    engine: Engine,
    runner: str,
    target: str,
    input: Any,
    *,
    run_id: str = "run-1",
    idempotency_key: str | None = None,
) -> EngineRun:
    global _counter
    _counter += 1
    call_id = f"call-{_counter}"
    run = EngineRun(engine, call_id)
    engine.start(
        {
            "callId": call_id,
            "runId": run_id,
            "stepId": "step",
            "runner": runner,
            "target": target,
            "input": input,
            "idempotencyKey": idempotency_key or f"{run_id}:step",
        },
        run.on_progress,
        run.on_done,
    )
    return run
