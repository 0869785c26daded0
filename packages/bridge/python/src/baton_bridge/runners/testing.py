"""Test runners (`echo`, `sleep`, `fail`) used by the protocol tests and benchmarks.

They need no framework and no target (the target is ignored). Input knobs:

- echo: output = input. Dict input may carry `_events: n` (emit n progress events from a worker
  thread), `_print: text` (a stray print to stdout; with `_subprocess: true` a child process
  prints too), `_usage: {...}` (reported usage).
- sleep: `{seconds, mode: "async" | "thread" | "block-loop", ignoreCancel, ignoreSigterm}`;
  `block-loop` blocks the event loop (the worker stops answering pings: a hung worker).
- fail: `{mode: "raise" | "exit" | "signal" | "garbage" | "oversize", message, kind, exitCode,
  bytes, stderr}`; `garbage`/`oversize` write a bad frame straight onto the protocol stream.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from typing import Any

from ..context import RunContext
from ..errors import RunError
from . import RunResult, register_runner


def _knobs(input: Any) -> dict[str, Any]:
    return input if isinstance(input, dict) else {}


class EchoRunner:
    """Returns its input; optionally emits events, prints, reports usage."""

    name = "echo"

    def framework_versions(self) -> dict[str, str]:
        return {}

    async def run(self, target: str, input: Any, ctx: RunContext) -> RunResult:
        knobs = _knobs(input)
        if "_print" in knobs:
            print(knobs["_print"])  # must land on stderr, never on the protocol stream
            if knobs.get("_subprocess"):
                os.system("echo stray-output-from-a-subprocess")  # noqa: S605,S607 - fixed test string
        count = int(knobs.get("_events", 0))
        if count:

            def emit_all() -> None:
                for index in range(count):
                    ctx.emit({"type": "echo.tick", "index": index})

            await ctx.run_in_thread(emit_all)
        if "_usage" in knobs:
            ctx.report_usage(knobs["_usage"])
        return {"output": input, "usage": ctx.usage}


class SleepRunner:
    """Sleeps (cancellably or not); `block-loop` simulates a hung worker."""

    name = "sleep"

    def framework_versions(self) -> dict[str, str]:
        return {}

    async def run(self, target: str, input: Any, ctx: RunContext) -> RunResult:
        knobs = _knobs(input)
        seconds = float(knobs.get("seconds", 3600))
        if knobs.get("ignoreSigterm"):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        ctx.emit({"type": "sleep.started", "seconds": seconds, "pid": os.getpid()})
        mode = knobs.get("mode", "async")
        if mode == "block-loop":
            time.sleep(seconds)
        elif mode == "thread":
            await ctx.run_in_thread(self._sleep_in_thread, seconds, ctx, bool(knobs.get("ignoreCancel")))
        elif knobs.get("ignoreCancel"):
            await asyncio.shield(asyncio.sleep(seconds))
        else:
            await asyncio.sleep(seconds)
        return {"output": {"slept": seconds}}

    @staticmethod
    def _sleep_in_thread(seconds: float, ctx: RunContext, ignore_cancel: bool) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not ignore_cancel:
                ctx.raise_if_cancelled()
            time.sleep(min(0.01, max(0.0, deadline - time.monotonic())))


class FailRunner:
    """Fails in the requested way: an exception, a crash, or a corrupt protocol frame."""

    name = "fail"

    def framework_versions(self) -> dict[str, str]:
        return {}

    async def run(self, target: str, input: Any, ctx: RunContext) -> RunResult:
        knobs = _knobs(input)
        mode = knobs.get("mode", "raise")
        if knobs.get("stderr"):
            print(knobs["stderr"], file=sys.stderr, flush=True)
        if mode == "raise":
            raise RunError(
                knobs.get("message", "requested failure"),
                kind=knobs.get("kind"),
                status=knobs.get("status"),
                retry_after_ms=knobs.get("retryAfterMs"),
            )
        if mode == "value-error":
            raise ValueError(knobs.get("message", "bad value"))
        if mode == "exit":
            sys.stderr.flush()
            os._exit(int(knobs.get("exitCode", 3)))
        if mode == "signal":
            os.kill(os.getpid(), signal.SIGKILL)
        raw_write = getattr(ctx, "_raw_write", None)
        if raw_write is None:
            raise RunError(f"mode {mode!r} needs the stdio transport", kind="fatal")
        if mode == "garbage":
            raw_write(b"this is not a JSON-RPC frame\n")
        elif mode == "oversize":
            raw_write(b'{"pad":"' + b"x" * int(knobs.get("bytes", 1 << 20)) + b'"}\n')
        elif mode == "wrong-version":
            raw_write(b'{"jsonrpc":"1.0","id":1,"result":null}\n')
        await asyncio.Event().wait()  # the client is expected to kill us
        return {"output": None}


for _runner in (EchoRunner, SleepRunner, FailRunner):
    register_runner(_runner)
