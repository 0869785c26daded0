"""Exceptions of the bridge, each carrying the JSON-RPC error code the TypeScript side classifies."""

from __future__ import annotations

import asyncio
import traceback
from typing import Any, Literal

from .protocol import ErrorCode

#: How the TypeScript side should treat a failure (mirrors Baton's ErrorKind).
ErrorKind = Literal["retryable", "fatal", "rate_limited", "timeout", "cancelled"]

_TRACEBACK_LIMIT = 8000


class BridgeError(Exception):
    """Base of the bridge's own errors; `code` is the JSON-RPC error code sent to the client."""

    code: int = ErrorCode.INTERNAL_ERROR

    def __init__(self, message: str, *, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data or {}

    def to_rpc(self) -> dict[str, Any]:
        """The JSON-RPC `error` object."""
        return {"code": self.code, "message": self.message, "data": self.data}


class InvalidParamsError(BridgeError):
    """A request's params are missing or of the wrong type."""

    code = ErrorCode.INVALID_PARAMS


class RunnerNotFoundError(BridgeError):
    """No runner is registered or loadable under the requested name."""

    code = ErrorCode.RUNNER_NOT_FOUND

    def __init__(self, name: str, reason: str = "") -> None:
        suffix = f": {reason}" if reason else ""
        super().__init__(f"Unknown runner {name!r}{suffix}", data={"runner": name})


class FrameworkMissingError(BridgeError):
    """The framework a runner (or a target) needs is not installed in this interpreter."""

    code = ErrorCode.FRAMEWORK_MISSING

    def __init__(self, framework: str, install_hint: str, *, runner: str | None = None, detail: str = "") -> None:
        where = f" (runner {runner!r})" if runner else ""
        extra = f": {detail}" if detail else ""
        super().__init__(
            f"Python module {framework!r} is not importable{where}{extra}. Install it: {install_hint}",
            data={"framework": framework, "installHint": install_hint, "runner": runner},
        )


class TargetError(BridgeError):
    """A `module:attr` target is malformed, missing, or not usable by the runner."""

    code = ErrorCode.TARGET_ERROR

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"Target {target!r}: {reason}", data={"target": target})


class OutputInvalidError(BridgeError):
    """A runner returned something that is not a RunResult, or an output JSON cannot encode."""

    code = ErrorCode.OUTPUT_INVALID


class RunCancelledError(Exception):
    """Raise from blocking (thread) code when `ctx.cancelled` is set; the run replies 'cancelled'."""


class RunError(Exception):
    """Raise from user or runner code to fail a run with an explicit classification.

    `kind` tells Baton whether to retry (`retryable`), give up (`fatal`), wait (`rate_limited`,
    with `retry_after_ms`) or treat it as a `timeout`. Other exceptions are classified on the
    TypeScript side (HTTP-like `status` codes are passed through).
    """

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind | None = None,
        retry_after_ms: int | None = None,
        status: int | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after_ms = retry_after_ms
        self.status = status
        self.data = data or {}


def _status_of(exc: BaseException) -> int | None:
    for candidate in (
        getattr(exc, "status", None),
        getattr(exc, "status_code", None),
        getattr(getattr(exc, "response", None), "status_code", None),
    ):
        if isinstance(candidate, int) and 100 <= candidate <= 599:
            return candidate
    return None


def _kind_of(exc: BaseException) -> str | None:
    kind = getattr(exc, "kind", None) if isinstance(exc, RunError) else getattr(exc, "baton_kind", None)
    if isinstance(kind, str):
        return kind
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        return "timeout"
    return None


def error_from_exception(exc: BaseException) -> dict[str, Any]:
    """Turns any exception raised by a run into a JSON-RPC error object."""
    if isinstance(exc, BridgeError):
        return exc.to_rpc()
    data: dict[str, Any] = {
        "type": f"{type(exc).__module__}.{type(exc).__qualname__}",
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-_TRACEBACK_LIMIT:],
    }
    kind, status = _kind_of(exc), _status_of(exc)
    if kind:
        data["kind"] = kind
    if status is not None:
        data["status"] = status
    retry_after = getattr(exc, "retry_after_ms", None)
    if isinstance(retry_after, (int, float)) and retry_after >= 0:
        data["retryAfterMs"] = int(retry_after)
    if isinstance(exc, RunError) and exc.data:
        data["details"] = exc.data
    message = str(exc) or type(exc).__name__
    return {"code": ErrorCode.RUN_FAILED, "message": message, "data": data}
