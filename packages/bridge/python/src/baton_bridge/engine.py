"""Transport-independent run management shared by the stdio worker and the HTTP server."""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import threading
from collections.abc import Callable
from typing import Any

from . import __version__
from .context import RunContext, normalize_usage
from .errors import (
    BridgeError,
    InvalidParamsError,
    OutputInvalidError,
    RunCancelledError,
    error_from_exception,
)
from .protocol import PROTOCOL_VERSION, ErrorCode
from .runners import get_runner, is_loaded, registered_runners

#: `(progress_params) -> None`, called under the run's lock so events keep their order.
ProgressSink = Callable[[dict], None]
#: `(result, error) -> None`, called once on the loop thread when the run ends.
DoneSink = Callable[[dict | None, dict | None], None]


class Run:
    """One run in flight: its context, task and sequence counter."""

    def __init__(self, call_id: str, run_id: str, on_progress: ProgressSink, on_done: DoneSink) -> None:
        self.call_id = call_id
        self.run_id = run_id
        self.on_progress = on_progress
        self.on_done = on_done
        self.seq = 0
        self.closed = False
        self.replied = False
        self.cancel_requested = False
        self.lock = threading.Lock()
        self.ctx: RunContext | None = None
        self.task: asyncio.Task | None = None

    def emit(self, event: Any) -> None:
        with self.lock:
            if self.closed:
                return  # late events (e.g. from a framework's own threads) never follow the reply
            self.seq += 1
            self.on_progress({"runId": self.run_id, "callId": self.call_id, "seq": self.seq, "event": event})


def _require_str(params: dict, key: str, *, optional: bool = False) -> str | None:
    value = params.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InvalidParamsError(f"run: '{key}' must be a string, got {type(value).__name__}")
    return value


class Engine:
    """Starts runs as asyncio tasks, cancels them, and answers `initialize`."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.runs: dict[str, Run] = {}

    @property
    def active_count(self) -> int:
        return len(self.runs)

    async def initialize(self, params: Any) -> dict[str, Any]:
        """Checks the protocol version and loads the runners the client named (in a thread)."""
        params = params if isinstance(params, dict) else {}
        version = params.get("protocolVersion")
        if version != PROTOCOL_VERSION:
            raise BridgeError(
                f"Unsupported protocol version {version!r}; this baton-bridge {__version__} speaks {PROTOCOL_VERSION}",
                data={"protocolVersion": PROTOCOL_VERSION},
            )
        names = [name for name in params.get("runners") or [] if isinstance(name, str)]
        runners = await self.loop.run_in_executor(None, _describe_runners, names)
        frameworks: dict[str, str] = {}
        for info in runners.values():
            frameworks.update(info.get("frameworks", {}))
        return {
            "protocolVersion": PROTOCOL_VERSION,
            "server": {"name": "baton-bridge", "version": __version__},
            "python": {
                "version": platform.python_version(),
                "implementation": platform.python_implementation(),
                "executable": sys.executable,
            },
            "pid": os.getpid(),
            "capabilities": {"cancel": True, "progress": True, "concurrentRuns": True},
            "runners": runners,
            "available": registered_runners(),
            "frameworks": frameworks,
        }

    def start(self, params: Any, on_progress: ProgressSink, on_done: DoneSink, extras: dict | None = None) -> Run:
        """Validates `params` and starts the run; raises InvalidParamsError synchronously."""
        if not isinstance(params, dict):
            raise InvalidParamsError("run: params must be an object")
        call_id = _require_str(params, "callId")
        runner_name = _require_str(params, "runner")
        _require_str(params, "target")
        if call_id in self.runs:
            raise InvalidParamsError(f"run: callId {call_id!r} is already running")
        run = Run(call_id, _require_str(params, "runId") or "", on_progress, on_done)
        options = params.get("options")
        run.ctx = RunContext(
            call_id=call_id,
            run_id=run.run_id,
            step_id=_require_str(params, "stepId", optional=True),
            idempotency_key=_require_str(params, "idempotencyKey", optional=True),
            traceparent=_require_str(params, "traceparent", optional=True),
            tracestate=_require_str(params, "tracestate", optional=True),
            options=options if isinstance(options, dict) else None,
            loop=self.loop,
            emit=run.emit,
        )
        for key, value in (extras or {}).items():
            setattr(run.ctx, key, value)
        self.runs[call_id] = run
        run.task = self.loop.create_task(self._execute(run, runner_name, params))
        # A task cancelled before its first step never runs its body: reply for it here.
        run.task.add_done_callback(lambda _task: self._reply(run, None, _cancelled_error(run)))
        return run

    def cancel(self, call_id: Any) -> bool:
        """Requests cancellation; idempotent. False when no such run is in flight."""
        run = self.runs.get(call_id) if isinstance(call_id, str) else None
        if run is None:
            return False
        if not run.cancel_requested:
            run.cancel_requested = True
            assert run.ctx is not None and run.task is not None
            run.ctx._cancel()
            run.task.cancel()
        return True

    def cancel_all(self) -> None:
        for call_id in list(self.runs):
            self.cancel(call_id)

    async def drain(self, timeout: float) -> None:
        """Waits up to `timeout` seconds for every run to finish."""
        tasks = [run.task for run in self.runs.values() if run.task is not None]
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)

    async def _execute(self, run: Run, runner_name: str, params: dict) -> None:
        result: dict | None = None
        error: dict | None = None
        try:
            if is_loaded(runner_name):
                runner = get_runner(runner_name)
            else:
                runner = await run.ctx.run_in_thread(get_runner, runner_name)
            raw = await runner.run(params["target"], params.get("input"), run.ctx)
            result = _check_result(runner_name, raw, run.ctx)
        except (asyncio.CancelledError, RunCancelledError, Exception, SystemExit) as exc:  # noqa: BLE001
            error = error_from_exception(exc)  # every failure becomes a reply
        if run.cancel_requested:
            # Whatever the runner did after being cancelled (return, raise a framework's abort
            # error), the client asked to cancel while the run was in flight: it gets 'cancelled'.
            result, error = None, _cancelled_error(run)
        self._reply(run, result, error)

    def _reply(self, run: Run, result: dict | None, error: dict | None) -> None:
        """Closes the run (no progress after this) and replies, exactly once."""
        if run.replied:
            return
        run.replied = True
        with run.lock:
            run.closed = True
        self.runs.pop(run.call_id, None)
        run.on_done(result, error)


def _cancelled_error(run: Run) -> dict[str, Any]:
    return {
        "code": ErrorCode.REQUEST_CANCELLED,
        "message": f"Run {run.run_id!r} (call {run.call_id}) was cancelled",
        "data": {"kind": "cancelled"},
    }


def _check_result(runner_name: str, raw: Any, ctx: RunContext) -> dict[str, Any]:
    if not isinstance(raw, dict) or "output" not in raw:
        raise OutputInvalidError(
            f"Runner {runner_name!r} returned {type(raw).__name__}; expected a RunResult dict with an 'output' key"
        )
    usage = normalize_usage(raw.get("usage")) or ctx.usage
    return {"output": raw["output"], "usage": usage} if usage else {"output": raw["output"]}


def _describe_runners(names: list[str]) -> dict[str, Any]:
    described: dict[str, Any] = {}
    for name in names:
        try:
            runner = get_runner(name)
            described[name] = {"ok": True, "frameworks": dict(runner.framework_versions())}
        except BridgeError as error:
            described[name] = {"ok": False, "error": error.to_rpc()}
        except Exception as error:  # noqa: BLE001 - reported, not raised: other runners may be fine
            described[name] = {"ok": False, "error": error_from_exception(error)}
    return described
