"""The ``crewai`` runner: runs a CrewAI crew for a Baton step.

Target: ``package.module:attr`` naming a ``Crew``, a factory returning one (sync or async,
called with no arguments once per run), or a ``@CrewBase`` class / object whose ``crew()``
method returns one. A shared ``Crew`` instance runs one kickoff at a time (CrewAI keeps
per-run state on it); factories give every run its own crew.

The step input is passed as ``kickoff(inputs=...)`` and must be a JSON object (or null).
``kickoff`` runs in a worker thread so the bridge's loop stays responsive to ping/cancel.

Progress: CrewAI's events, taken in order from a stream sink scoped to the run's thread (the
event bus proper runs handlers on a thread pool, out of order). Tool and LLM events use core's
``AgentProgress`` shapes (``tool-call``, ``tool-result``, ``tool-error``, ``model-finish``); task,
agent and other LLM events are ``crewai.<event type>``. Every event carries ``framework``,
``event`` (CrewAI's type), ``seq``, ``at`` and, when known, ``task`` and ``agent``.

Cancel: CrewAI has no ``Crew.cancel``; a process-wide pre-model-call and pre-tool-call hook
raises ``HookAborted`` when the current run's ``ctx.cancelled`` is set, so the crew stops at
its next LLM or tool call. A call already in flight finishes first; the TypeScript side
kills the process if the run outlives its grace period.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import os
import platform
import sys
import threading
from typing import Any

# CrewAI reads these lazily, but set them before the import anyway: a worker must never
# phone home (anonymous telemetry, tracing prompts, the package-index version check).
# `setdefault` so a user who wants them can still opt in through the worker's env.
for _name, _value in (
    ("CREWAI_DISABLE_TELEMETRY", "true"),
    ("CREWAI_DISABLE_TRACKING", "true"),
    ("CREWAI_DISABLE_VERSION_CHECK", "true"),
    ("CREWAI_TRACING_ENABLED", "false"),
):
    os.environ.setdefault(_name, _value)

# An ImportError here is reported by the bridge loop with an install hint.
import crewai  # noqa: E402
from crewai import BaseLLM, Crew  # noqa: E402
from crewai.events.stream_context import add_stream_sink, reset_stream_sinks  # noqa: E402
from crewai.hooks import HookAborted, InterceptionPoint, register_hook  # noqa: E402

from ..context import normalize_usage  # noqa: E402
from ..errors import RunCancelledError, TargetError  # noqa: E402
from . import register_runner  # noqa: E402
from ._providers import single, well_known  # noqa: E402
from ._support import InputError, clip, jsonable, load_target, maybe_await  # noqa: E402

#: CrewAI events forwarded as ``crewai.<type>`` (tool and LLM-completion events are mapped).
_NATIVE_EVENTS = frozenset(
    {
        "crew_kickoff_started",
        "crew_kickoff_completed",
        "crew_kickoff_failed",
        "task_started",
        "task_completed",
        "task_failed",
        "agent_execution_started",
        "agent_execution_completed",
        "agent_execution_error",
        "llm_call_started",
        "llm_call_failed",
    }
)

_CANCEL_REASON = "cancelled by Baton"

# The Baton run whose crew executes in this context: set on the kickoff thread, where the
# hooks run and CrewAI publishes events to stream sinks.
_current_run: contextvars.ContextVar[Any] = contextvars.ContextVar("baton_crewai_run", default=None)
_install_lock = threading.Lock()
_installed = False


def current_context() -> Any:
    """The bridge ``RunContext`` of the crew running in this context, or None.

    For tools and custom LLMs: ``current_context().emit({...})`` adds a progress event, and
    ``current_context().cancelled.is_set()`` tells a long tool to stop early.
    """
    return _current_run.get()


def _abort_if_cancelled(_hook_context: Any) -> None:
    """Pre-LLM / pre-tool hook: stops the crew of a cancelled Baton run at its next call."""
    ctx = _current_run.get()
    if ctx is not None and ctx.cancelled.is_set():
        raise HookAborted(_CANCEL_REASON, source="baton")


def _install_once() -> None:
    """Registers the process-wide cancel hooks once (they find their run through the context)."""
    global _installed
    with _install_lock:
        if not _installed:
            register_hook(InterceptionPoint.PRE_MODEL_CALL, _abort_if_cancelled)
            register_hook(InterceptionPoint.PRE_TOOL_CALL, _abort_if_cancelled)
            _installed = True


def describe_event(event: Any) -> dict[str, Any] | None:
    """A small JSON-safe progress event for a CrewAI event, or None for events not forwarded."""
    kind = getattr(event, "type", None)
    base: dict[str, Any] = {
        "framework": "crewai",
        "event": kind,
        "seq": getattr(event, "emission_sequence", None),
        "at": event.timestamp.isoformat() if getattr(event, "timestamp", None) else None,
        "task": clip(getattr(event, "task_name", None), 200),
        "agent": getattr(event, "agent_role", None),
    }
    if kind == "tool_usage_started":
        extra = {"type": "tool-call", "toolName": event.tool_name, "input": _tool_input(event.tool_args)}
    elif kind == "tool_usage_finished":
        extra = {"type": "tool-result", "toolName": event.tool_name, "output": clip(str(event.output), 1000)}
    elif kind == "tool_usage_error":
        extra = {"type": "tool-error", "toolName": event.tool_name, "message": clip(str(event.error), 1000)}
    elif kind == "llm_call_completed":
        extra = {"type": "model-finish", "model": event.model, "usage": normalize_usage(event.usage)}
    elif kind in _NATIVE_EVENTS:
        extra = {
            "type": f"crewai.{kind}",
            "model": getattr(event, "model", None),
            "error": clip(getattr(event, "error", None), 1000),
            "output": _output_text(event),
        }
    else:
        return None
    return {key: value for key, value in {**base, **extra}.items() if value is not None}


def _tool_input(args: Any) -> Any:
    if isinstance(args, str):  # the ReAct text protocol passes the model's JSON text
        try:
            args = json.loads(args)
        except ValueError:
            return clip(args, 1000)
    return jsonable(args, limit=1000)


def _output_text(event: Any) -> str | None:
    output = getattr(event, "output", None)
    if output is None:
        return None
    return clip(getattr(output, "raw", None) or str(output), 1000)


def _sink_for(ctx: Any) -> Any:
    def sink(_source: Any, event: Any) -> None:
        try:
            described = describe_event(event)
            if described is not None:
                ctx.emit(described)
        except Exception as error:  # noqa: BLE001 - a progress event must never fail the run
            print(f"baton-bridge crewai: dropped a progress event: {error!r}", file=sys.stderr)

    return sink


async def resolve_crew(target: str) -> tuple[Crew, bool]:
    """Loads the target; returns the crew and whether it is shared (needs the per-crew lock)."""
    obj = await load_target(target)
    if isinstance(obj, Crew):
        return obj, True
    if not callable(obj) and not callable(getattr(obj, "crew", None)):
        raise TargetError(
            target, f"is a {type(obj).__name__}, not a Crew, a factory returning one, or a @CrewBase class"
        )
    produced = await maybe_await(obj() if callable(obj) else obj)
    if not isinstance(produced, Crew) and callable(getattr(produced, "crew", None)):
        produced = await maybe_await(produced.crew())  # the @CrewBase project pattern
    if not isinstance(produced, Crew):
        raise TargetError(target, f"produced a {type(produced).__name__}, not a Crew")
    return produced, False


def crew_output_to_dict(output: Any) -> dict[str, Any]:
    """CrewOutput as plain JSON, keeping CrewAI's own field names."""
    return {
        "raw": output.raw,
        "json_dict": jsonable(output.json_dict),
        "pydantic": jsonable(output.pydantic),
        "tasks_output": [
            {
                "name": task.name,
                "description": task.description,
                "agent": task.agent,
                "raw": task.raw,
                "json_dict": jsonable(task.json_dict),
                "pydantic": jsonable(task.pydantic),
                "output_format": jsonable(task.output_format),
                "tool_failures": jsonable(getattr(task, "tool_failures", []) or []),
            }
            for task in output.tasks_output
        ],
        "token_usage": jsonable(output.token_usage),
    }


def usage_of(crew: Crew, output: Any) -> dict[str, Any] | None:
    """Baton TokenUsage from CrewOutput.token_usage; None when the LLMs reported nothing.

    ``provider`` is set when every agent's LLM names the same well-known provider (see ``provider_of``).
    """
    metrics = output.token_usage
    if not metrics or (metrics.total_tokens == 0 and metrics.successful_requests == 0):
        return None
    llms = [agent.llm for agent in crew.agents if agent.llm]
    models = sorted({str(getattr(llm, "model", llm)) for llm in llms})
    usage: dict[str, Any] = {
        "inputTokens": metrics.prompt_tokens,
        "outputTokens": metrics.completion_tokens,
        "totalTokens": metrics.total_tokens,
        "model": ",".join(models) if models else None,
    }
    provider = single(provider_of(llm) for llm in llms) if llms else None
    if provider:
        usage["provider"] = provider
    return usage


def provider_of(llm: Any) -> str | None:
    """The well-known ``gen_ai.provider.name`` of a CrewAI LLM, or None.

    CrewAI's ``BaseLLM.provider`` defaults to ``openai`` for any model string without a ``provider/``
    prefix, so it is believed only where it is not that default: on CrewAI's own LLM classes (the
    LiteLLM-backed ``LLM`` and the native providers, whose provider is what they call) and when the
    model string names the provider (``anthropic/claude-…``). A custom ``BaseLLM`` subclass with a
    bare model name (a scripted test model) gets None.
    """
    if isinstance(llm, str):
        return well_known(llm.partition("/")[0]) if "/" in llm else None
    model = getattr(llm, "model", None)
    named = isinstance(model, str) and "/" in model
    own = any(
        cls.__module__.startswith("crewai.") and cls is not BaseLLM and issubclass(cls, BaseLLM)
        for cls in type(llm).__mro__
        if isinstance(cls, type)
    )
    return well_known(getattr(llm, "provider", None)) if named or own else None


class CrewAIRunner:
    """Bridge runner for CrewAI crews (see the module docstring)."""

    name = "crewai"

    def __init__(self) -> None:
        _install_once()
        # One kickoff at a time per shared Crew instance: CrewAI mutates the crew during a run.
        self._locks: dict[int, asyncio.Lock] = {}

    def framework_versions(self) -> dict[str, str]:
        return {"crewai": crewai.__version__, "python": platform.python_version()}

    async def run(self, target: str, input: Any, ctx: Any) -> dict[str, Any]:
        if input is not None and not isinstance(input, dict):
            raise InputError(
                "CrewAI kickoff inputs must be a JSON object or null, "
                f"got {type(input).__name__}: {clip(repr(input), 200)}"
            )
        crew, shared = await resolve_crew(target)
        lock = self._locks.setdefault(id(crew), asyncio.Lock()) if shared else None
        if lock is not None:
            await lock.acquire()
        try:
            ctx.raise_if_cancelled()
            # run_in_thread waits for the thread even when cancelled: the reply means "stopped".
            output = await ctx.run_in_thread(self._kickoff, crew, input, ctx)
        finally:
            if lock is not None:
                lock.release()
        return {"output": crew_output_to_dict(output), "usage": usage_of(crew, output)}

    @staticmethod
    def _kickoff(crew: Crew, inputs: dict[str, Any] | None, ctx: Any) -> Any:
        """Runs in a worker thread (in a copy of the loop's context, so these sets stay local)."""
        _current_run.set(ctx)
        sink_token = add_stream_sink(_sink_for(ctx))
        try:
            return crew.kickoff(inputs=inputs or {})
        except HookAborted as error:
            if ctx.cancelled.is_set():
                raise RunCancelledError(f"CrewAI run stopped at its next LLM/tool call: {error}") from error
            raise
        except Exception:
            # CrewAI may wrap the abort in its own error types; cancellation wins regardless.
            if ctx.cancelled.is_set():
                raise RunCancelledError("CrewAI run cancelled") from None
            raise
        finally:
            reset_stream_sinks(sink_token)


register_runner(CrewAIRunner)
