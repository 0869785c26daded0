"""The ``autogen`` runner: runs an AutoGen AgentChat team or agent for a Baton step.

Target, one of:

- ``package.module:attr`` naming a team (``RoundRobinGroupChat``, ``SelectorGroupChat``, ...) or a
  chat agent (``AssistantAgent``, ...): shared by every run of this worker, one run at a time,
  and reset after each run;
- ``package.module:attr`` naming a factory (sync or async, no arguments) returning one: a fresh
  team per run;
- a path ending in ``.json``: a component config (``team.dump_component().model_dump_json()``),
  loaded per run. Loading a component imports and may execute code named in the file (AutoGen
  0.7 has no provider allow-list), so only point this at files you trust as you trust code.

Input: a string is the task; ``{"task": "..."}`` passes its ``task``; null continues with no new
task; anything else is sent as its JSON text.

Progress: every message and event of ``run_stream``. Tool calls, tool results, streamed tokens
and model usage use core's ``AgentProgress`` shapes (``tool-call``, ``tool-result``,
``tool-error``, ``token``, ``model-finish``); other messages are ``autogen.<Type>`` with their
text as ``content``. Every event carries ``framework``, ``event`` (AutoGen's type) and ``source``.

Cancel: ``ctx.on_cancel`` cancels the run's ``CancellationToken``; AutoGen then raises
``CancelledError`` inside the team, and the team is reset (``team.reset()``) before the reply.

AutoGen is in maintenance mode. Nothing here is specific to it beyond ``_AutoGenSession``; a
Microsoft Agent Framework runner would follow the same ``name`` / ``framework_versions`` /
``run(target, input, ctx)`` shape with its own session.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import platform
import re
import sys
from importlib import metadata
from typing import Any

from autogen_agentchat.agents import BaseChatAgent  # noqa: E402

# An ImportError here is reported by the bridge loop with an install hint.
from autogen_agentchat.base import TaskResult, Team  # noqa: E402
from autogen_agentchat.messages import BaseChatMessage  # noqa: E402
from autogen_core import CancellationToken, ComponentLoader  # noqa: E402

from ..errors import RunError, TargetError  # noqa: E402
from . import register_runner  # noqa: E402
from ._providers import single, well_known  # noqa: E402
from ._support import clip, jsonable, load_target, maybe_await  # noqa: E402

_RUNNABLE = (Team, BaseChatAgent)

# The Baton run executing in this context: AutoGen's runtime starts its tasks inside run_stream,
# so tools and model clients of the run inherit it.
_current_run: contextvars.ContextVar[Any] = contextvars.ContextVar("baton_autogen_run", default=None)


def current_context() -> Any:
    """The bridge ``RunContext`` of the team running in this context, or None.

    For tools: ``current_context().emit({...})`` adds a progress event, and
    ``current_context().cancelled.is_set()`` tells a long tool to stop early.
    """
    return _current_run.get()


async def resolve_runnable(target: str) -> tuple[Any, bool]:
    """Loads the target; returns the team/agent and whether it is shared across runs."""
    if target.lower().endswith(".json"):
        return await asyncio.to_thread(_load_component_file, target), False
    obj = await load_target(target)
    if isinstance(obj, _RUNNABLE):
        return obj, True
    if not callable(obj):
        raise TargetError(target, f"is a {type(obj).__name__}, not an AgentChat team/agent or a factory")
    produced = await maybe_await(obj())
    if not isinstance(produced, _RUNNABLE):
        raise TargetError(target, f"factory returned a {type(produced).__name__}, not an AgentChat team or agent")
    return produced, False


def _load_component_file(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError) as error:
        raise TargetError(path, f"cannot read component config: {error}") from error
    try:
        component = ComponentLoader.load_component(config)
    except Exception as error:  # noqa: BLE001 - any load failure makes the target unusable
        raise TargetError(path, f"cannot load component: {type(error).__name__}: {error}") from error
    if not isinstance(component, _RUNNABLE):
        raise TargetError(path, f"component is a {type(component).__name__}, not an AgentChat team or agent")
    return component


def task_of(input: Any) -> Any:
    """The AgentChat task for a step input (see the module docstring)."""
    if input is None or isinstance(input, str):
        return input
    if isinstance(input, dict) and isinstance(input.get("task"), str):
        return input["task"]
    return json.dumps(input, ensure_ascii=False, default=str)


def describe_item(item: Any) -> list[dict[str, Any]]:
    """Small JSON-safe progress events for one streamed message or event (see the docstring)."""
    kind = getattr(item, "type", type(item).__name__)
    base = {
        "framework": "autogen",
        "event": kind,
        "source": getattr(item, "source", None),
        "id": getattr(item, "id", None),
    }
    events: list[dict[str, Any]] = []
    usage = getattr(item, "models_usage", None)
    if usage is not None:
        events.append(
            {
                "type": "model-finish",
                "usage": {
                    "inputTokens": usage.prompt_tokens,
                    "outputTokens": usage.completion_tokens,
                    "totalTokens": usage.prompt_tokens + usage.completion_tokens,
                },
            }
        )
    if kind == "ToolCallRequestEvent":
        events += [
            {"type": "tool-call", "toolName": call.name, "toolCallId": call.id, "input": _arguments(call.arguments)}
            for call in item.content
        ]
    elif kind == "ToolCallExecutionEvent":
        events += [
            {
                "type": "tool-error" if result.is_error else "tool-result",
                "toolName": result.name,
                "toolCallId": result.call_id,
                ("message" if result.is_error else "output"): clip(str(result.content), 1000),
            }
            for result in item.content
        ]
    elif kind == "ModelClientStreamingChunkEvent":
        events.append({"type": "token", "text": item.content})
    else:
        events.append({"type": f"autogen.{kind}", "content": clip(_text_of(item), 2000)})
    return [{key: value for key, value in {**base, **event}.items() if value is not None} for event in events]


def _arguments(arguments: str) -> Any:
    try:
        return json.loads(arguments)
    except ValueError:
        return clip(arguments, 1000)  # the model produced invalid JSON: show it as it is


def _text_of(item: Any) -> str | None:
    try:
        return item.to_text()
    except Exception:  # noqa: BLE001 - a custom message that cannot render: the type is enough
        return None


def _model_name(client: Any) -> str | None:
    """Best effort: AutoGen's ChatCompletionClient has no public model-name attribute."""
    for attr in ("_create_args", "_raw_config"):
        config = getattr(client, attr, None)
        if isinstance(config, dict) and isinstance(config.get("model"), str):
            return config["model"]
    model = getattr(client, "model", None)
    return model if isinstance(model, str) else None


#: autogen_ext model client classes → provider kind (mapped by ``well_known``). Matched by name on
#: the client's class or a base class from ``autogen_ext``, so a subclass keeps its provider and no
#: optional extra (openai, anthropic, azure) has to be installed to ask.
_CLIENT_PROVIDERS: dict[str, str] = {
    "AzureOpenAIChatCompletionClient": "azure_openai",
    "OpenAIChatCompletionClient": "openai",
    "AnthropicBedrockChatCompletionClient": "bedrock",
    "AnthropicChatCompletionClient": "anthropic",
    "AzureAIChatCompletionClient": "azure_ai",
}


def provider_of(client: Any) -> str | None:
    """The well-known ``gen_ai.provider.name`` of an AutoGen model client, or None.

    AutoGen's ``ChatCompletionClient`` has no provider attribute; the client class says it. An
    ``OpenAIChatCompletionClient`` pointed at Gemini's OpenAI-compatible endpoint (AutoGen does that
    for ``gemini-*`` models) is ``gcp.gemini``. Replay, Ollama, llama.cpp and other clients get None.
    """
    if client is None:
        return None
    for cls in type(client).__mro__:
        kind = _CLIENT_PROVIDERS.get(cls.__name__) if cls.__module__.startswith("autogen_ext.") else None
        if kind is None:
            continue
        if kind == "openai":
            config = getattr(client, "_raw_config", None)
            base_url = config.get("base_url") if isinstance(config, dict) else None
            if isinstance(base_url, str) and "generativelanguage.googleapis.com" in base_url:
                return "gcp.gemini"
        return well_known(kind)
    return None


def _clients_of(runnable: Any) -> list[Any]:
    members = getattr(runnable, "_participants", None) or [runnable]
    return [client for member in members if (client := getattr(member, "_model_client", None)) is not None]


def _models_of(runnable: Any) -> list[str]:
    names = {_model_name(client) for client in _clients_of(runnable)}
    return sorted(name for name in names if name)


def _provider_of_team(runnable: Any) -> str | None:
    """The provider every participant's model client shares, else None."""
    clients = _clients_of(runnable)
    return single(provider_of(client) for client in clients) if clients else None


def _usage_result(totals: dict[str, int], models: list[str], provider: str | None = None) -> dict[str, Any] | None:
    if not totals:
        return None  # no message carried models_usage
    usage: dict[str, Any] = {**totals, "model": ",".join(models) if models else None}
    if provider:
        usage["provider"] = provider
    return usage


_TEAM_ERROR = re.compile(r"^([A-Za-z_][\w.]*): (.*?)(?:\nTraceback:\n(.*))?$", re.DOTALL)


def _participant_error(error: RuntimeError) -> RunError | None:
    """A team re-raises a participant's exception as RuntimeError("Type: message\nTraceback: ...").

    Recovers the original type name (as ``details.errorType``) so the TypeScript classifier
    can tell a rate limit from a bad request; keeps AutoGen's traceback in the details.
    """
    match = _TEAM_ERROR.match(str(error))
    if match is None or match.group(1) == "RuntimeError":
        return None
    error_type, message, trace = match.groups()
    return RunError(
        f"{error_type}: {message}",
        data={"framework": "autogen", "errorType": error_type, "traceback": clip(trace or "", 4000)},
    )


def task_result_to_dict(result: TaskResult) -> dict[str, Any]:
    """TaskResult as plain JSON, plus ``text``: the last chat message's text (convenience)."""
    last_chat = next((m for m in reversed(result.messages) if isinstance(m, BaseChatMessage)), None)
    return {
        "stop_reason": result.stop_reason,
        "text": last_chat.to_text() if last_chat is not None else None,
        "messages": [jsonable(message) for message in result.messages],
    }


async def _reset(runnable: Any) -> None:
    """Back to the initial state so the next run starts clean (teams: reset(); agents: on_reset)."""
    try:
        if isinstance(runnable, Team):
            await runnable.reset()
        else:
            await runnable.on_reset(CancellationToken())
    except Exception as error:  # noqa: BLE001 - the run's own outcome matters more
        print(f"baton-bridge autogen: reset after run failed: {error!r}", file=sys.stderr)


class AutoGenRunner:
    """Bridge runner for AutoGen AgentChat teams and agents (see the module docstring)."""

    name = "autogen"

    def __init__(self) -> None:
        # A shared team refuses concurrent runs ("already running"): queue them instead.
        self._locks: dict[int, asyncio.Lock] = {}

    def framework_versions(self) -> dict[str, str]:
        versions = {"python": platform.python_version()}
        for dist in ("autogen-agentchat", "autogen-core", "autogen-ext"):
            try:
                versions[dist] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                pass
        return versions

    async def run(self, target: str, input: Any, ctx: Any) -> dict[str, Any]:
        runnable, shared = await resolve_runnable(target)
        lock = self._locks.setdefault(id(runnable), asyncio.Lock()) if shared else None
        if lock is not None:
            await lock.acquire()
        try:
            ctx.raise_if_cancelled()
            return await self._run(runnable, task_of(input), ctx)
        finally:
            # Model clients are left open: a factory may share one client across its teams.
            await _reset(runnable)
            if lock is not None:
                lock.release()

    async def _run(self, runnable: Any, task: Any, ctx: Any) -> dict[str, Any]:
        token = CancellationToken()
        remove = ctx.on_cancel(token.cancel)
        marker = _current_run.set(ctx)  # set before the inner task is created, which copies it
        try:
            stream = asyncio.ensure_future(_consume(runnable, task, token, ctx))
        finally:
            _current_run.reset(marker)
        try:
            # The task iterating run_stream is shielded: AutoGen is stopped through its token
            # (see _stop), never by a CancelledError thrown into the middle of the team.
            return await asyncio.shield(stream)
        except asyncio.CancelledError:
            await _stop(runnable, stream, token)
            raise
        finally:
            remove()


async def _stop(runnable: Any, stream: asyncio.Future, token: CancellationToken) -> None:
    """Stops a cancelled run, escalating when AutoGen does not unwind by itself.

    AutoGen 0.7.5 can wedge when the token cancels a tool call in flight: AssistantAgent waits
    forever for the end-of-stream marker of the cancelled tool task, so the team's runtime never
    goes idle. Then the runtime's pending handler tasks are cancelled, and at last the stream
    task itself (its ``finally`` marks the team as not running, so reset() works again).
    """
    token.cancel()
    if await _settled(stream, 1.0):
        return
    runtime = getattr(runnable, "_runtime", None)
    for pending in list(getattr(runtime, "_background_tasks", ()) or ()):
        pending.cancel()
    if await _settled(stream, 2.0):
        return
    stream.cancel()
    if await _settled(stream, 2.0):
        if not stream.cancelled():
            stream.exception()  # retrieved: the run's outcome is "cancelled" whatever it was
        return
    print("baton-bridge autogen: cancelled run did not stop; the worker may need replacing", file=sys.stderr)


async def _settled(future: asyncio.Future, timeout: float) -> bool:
    done, _ = await asyncio.wait([future], timeout=timeout)
    return bool(done)


async def _consume(runnable: Any, task: Any, token: CancellationToken, ctx: Any) -> dict[str, Any]:
    totals: dict[str, int] = {}  # summed from the model-finish events: each model call once
    result: TaskResult | None = None
    try:
        async for item in runnable.run_stream(task=task, cancellation_token=token):
            if isinstance(item, TaskResult):
                result = item
                continue
            for event in describe_item(item):
                if event["type"] == "model-finish":
                    for key, value in event["usage"].items():
                        totals[key] = totals.get(key, 0) + value
                ctx.emit(event)
    except RuntimeError as error:
        raise (_participant_error(error) or error) from error
    if result is None:
        raise RuntimeError("AutoGen run_stream ended without a TaskResult")
    usage = _usage_result(totals, _models_of(runnable), _provider_of_team(runnable))
    return {"output": task_result_to_dict(result), "usage": usage}


register_runner(AutoGenRunner)
