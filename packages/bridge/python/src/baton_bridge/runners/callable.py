"""The `callable` runner: calls a user `module:function` (sync or async) with `(input, ctx)`.

The function's return value is the run's output; it may report token usage with
`ctx.report_usage({...})`. Sync functions run in a worker thread (poll `ctx.cancelled` to stop
early); async functions run on the event loop and are cancelled at their next `await`.
"""

from __future__ import annotations

import inspect
from typing import Any

from ..context import RunContext
from ..errors import TargetError
from ..targets import is_imported, resolve_target
from . import RunResult, register_runner


async def load_target(target: str, ctx: RunContext) -> Any:
    """Resolves `target`, importing in a thread the first time so the loop stays responsive."""
    if is_imported(target):
        return resolve_target(target)
    return await ctx.run_in_thread(resolve_target, target)


def _is_async_callable(value: Any) -> bool:
    return inspect.iscoroutinefunction(value) or inspect.iscoroutinefunction(getattr(value, "__call__", None))  # noqa: B004 - reads the bound method


class CallableRunner:
    """Runs any Python callable as a Baton agent."""

    name = "callable"

    def framework_versions(self) -> dict[str, str]:
        return {}

    async def run(self, target: str, input: Any, ctx: RunContext) -> RunResult:
        function = await load_target(target, ctx)
        if not callable(function):
            raise TargetError(target, f"is a {type(function).__name__}, not a callable")
        if _is_async_callable(function):
            result = await function(input, ctx)
        else:
            result = await ctx.run_in_thread(function, input, ctx)
            if inspect.isawaitable(result):
                result = await result
        return {"output": result, "usage": ctx.usage}


register_runner(CallableRunner)
