"""`RunContext`: what a runner gets besides its target and input."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import RunCancelledError

T = TypeVar("T")

#: Callback the transport gives each run: `(event) -> None`, thread-safe, assigns sequence numbers.
EmitFn = Callable[[dict], None]


def normalize_usage(usage: Any) -> dict[str, Any] | None:
    """Accepts camelCase (`inputTokens`) or snake/OpenAI-style keys (`prompt_tokens`); returns camelCase."""
    if not isinstance(usage, dict):
        return None
    pick = lambda *keys: next((usage[k] for k in keys if isinstance(usage.get(k), (int, float))), None)  # noqa: E731
    out: dict[str, Any] = {}
    for name, keys in (
        ("inputTokens", ("inputTokens", "input_tokens", "prompt_tokens")),
        ("outputTokens", ("outputTokens", "output_tokens", "completion_tokens")),
        ("totalTokens", ("totalTokens", "total_tokens")),
    ):
        value = pick(*keys)
        if value is not None:
            out[name] = int(value)
    if "totalTokens" not in out and "inputTokens" in out and "outputTokens" in out:
        out["totalTokens"] = out["inputTokens"] + out["outputTokens"]
    if isinstance(usage.get("model"), str):
        out["model"] = usage["model"]
    if isinstance(usage.get("provider"), str) and usage["provider"]:
        out["provider"] = usage["provider"]  # a gen_ai.provider.name value, e.g. "openai"
    return out or None


class RunContext:
    """Per-run context handed to `Runner.run`.

    Thread-safety: `emit`, `report_usage`, `on_cancel` and `cancelled` may be used from any thread.
    Cancellation is cooperative: when the client cancels, `cancelled` is set, every `on_cancel`
    callback runs (on the event-loop thread), and the runner's task is cancelled. Blocking code in
    a thread must poll `cancelled` (or `raise_if_cancelled()`) to stop early.
    """

    def __init__(
        self,
        *,
        call_id: str,
        run_id: str,
        step_id: str | None,
        idempotency_key: str | None,
        traceparent: str | None,
        options: dict[str, Any] | None,
        loop: asyncio.AbstractEventLoop,
        emit: EmitFn,
        tracestate: str | None = None,
    ) -> None:
        self.call_id = call_id
        self.run_id = run_id
        self.step_id = step_id
        self.idempotency_key = idempotency_key
        self.traceparent = traceparent
        self.tracestate = tracestate
        #: Runner-specific options from the client (`runnerOptions` on the TypeScript side).
        self.options: dict[str, Any] = dict(options or {})
        self.loop = loop
        self.cancelled = threading.Event()
        self.usage: dict[str, Any] | None = None
        self._emit = emit
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def emit(self, event: dict) -> None:
        """Sends a progress event to the client. Dropped once the run has replied."""
        self._emit(event)

    def report_usage(self, usage: dict) -> None:
        """Records token usage, used when the runner's RunResult has no `usage` of its own."""
        self.usage = normalize_usage(usage)

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Registers `callback` to run once on cancellation (at once if already cancelled).

        Returns a function that unregisters it.
        """
        with self._lock:
            already = self.cancelled.is_set()
            if not already:
                self._callbacks.append(callback)
        if already:
            _call_safely(callback)

        def remove() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return remove

    def raise_if_cancelled(self) -> None:
        """For blocking code: raises `RunCancelledError` once the run is cancelled."""
        if self.cancelled.is_set():
            raise RunCancelledError(f"Run {self.run_id!r} was cancelled")

    async def run_in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Runs blocking `fn` in a worker thread so ping and cancel stay responsive.

        On cancellation the thread cannot be interrupted, so this waits for `fn` to return (it
        should poll `cancelled`) before re-raising: a cancelled run replies only once it stopped.
        """
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        future = self.loop.run_in_executor(None, call)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            try:
                await future
            except BaseException:  # noqa: BLE001 - the run is cancelled either way
                pass
            raise

    def _cancel(self) -> None:
        with self._lock:
            if self.cancelled.is_set():
                return
            self.cancelled.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            _call_safely(callback)


def _call_safely(callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception as error:  # noqa: BLE001 - a faulty callback must not break cancellation
        print(f"baton-bridge: on_cancel callback failed: {error!r}", file=sys.stderr)
