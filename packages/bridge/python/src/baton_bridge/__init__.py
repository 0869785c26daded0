"""baton-bridge: the Python side of Baton's bridge (see `python -m baton_bridge`)."""

from __future__ import annotations

__version__ = "0.1.0"

from .context import RunContext, normalize_usage  # noqa: E402
from .errors import (  # noqa: E402
    BridgeError,
    FrameworkMissingError,
    RunCancelledError,
    RunError,
    RunnerNotFoundError,
    TargetError,
)
from .protocol import PROTOCOL_VERSION  # noqa: E402
from .runners import Runner, RunResult, get_runner, register_runner, registered_runners  # noqa: E402
from .targets import resolve_target  # noqa: E402

__all__ = [
    "PROTOCOL_VERSION",
    "BridgeError",
    "FrameworkMissingError",
    "RunCancelledError",
    "RunContext",
    "RunError",
    "RunResult",
    "Runner",
    "RunnerNotFoundError",
    "TargetError",
    "__version__",
    "get_runner",
    "normalize_usage",
    "register_runner",
    "registered_runners",
    "resolve_target",
]
