"""Offline AutoGen AgentChat teams for the bridge's real-framework tests (pytest and vitest).

Every model client is AutoGen's own ``ReplayChatCompletionClient``: real agents, teams, tool
calls, termination conditions and usage accounting, no network. Factories build a fresh team per
run. ``STATS`` counts tool calls in this worker process (read back through ``stats_team``);
``BATON_FIXTURE_STATE_DIR`` (default: the temp dir) holds crash markers.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import tempfile
from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_core import FunctionCall
from autogen_core.models import CreateResult, ModelInfo, RequestUsage
from autogen_ext.models.replay import ReplayChatCompletionClient

from baton_bridge.runners.autogen import current_context

MODEL_INFO = ModelInfo(
    vision=False, function_calling=True, json_output=False, family="unknown", structured_output=False
)

STATS: dict[str, int] = {"slow_tool_calls": 0, "pid": os.getpid()}


def tool_call(name: str, args: dict[str, Any], call_id: str = "call-1") -> CreateResult:
    """A scripted model response that calls a tool (usage: 10 in, 5 out)."""
    return CreateResult(
        content=[FunctionCall(id=call_id, arguments=json.dumps(args), name=name)],
        finish_reason="function_calls",
        usage=RequestUsage(prompt_tokens=10, completion_tokens=5),
        cached=False,
    )


def replay(responses: list[Any]) -> ReplayChatCompletionClient:
    return ReplayChatCompletionClient(responses, model_info=MODEL_INFO)


async def add(a: int, b: int) -> int:
    """Adds two integers."""
    return a + b


async def slow_step(note: str) -> str:
    """One slow step of work (a short sleep)."""
    STATS["slow_tool_calls"] += 1
    await asyncio.sleep(0.2)
    return f"step done: {note}"


def _marker_path() -> str:
    ctx = current_context()
    key = ctx.idempotency_key if ctx is not None and ctx.idempotency_key else "no-context"
    base = os.environ.get("BATON_FIXTURE_STATE_DIR", tempfile.gettempdir())
    return os.path.join(base, "crash-" + hashlib.sha256(key.encode()).hexdigest()[:16])


async def fragile_step(note: str) -> str:
    """Kills its own worker process the first time it runs for a step (a crash mid-run)."""
    marker = _marker_path()
    if not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return f"survived: {note}"


async def noisy_step(note: str) -> str:
    """Writes a corrupt frame onto the bridge's protocol stream, then hangs (a broken worker)."""
    ctx = current_context()
    ctx._raw_write(b"<<this is not JSON-RPC>>\n")
    await asyncio.Event().wait()
    return "unreachable"


def math_team() -> RoundRobinGroupChat:
    """A solver with a tool and a critic, round-robin, until the critic says APPROVE."""
    solver = AssistantAgent(
        "solver",
        model_client=replay([tool_call("add", {"a": 2, "b": 3}), "The sum is 5."]),
        tools=[add],
        reflect_on_tool_use=True,
        system_message="Solve with tools.",
    )
    critic = AssistantAgent(
        "critic", model_client=replay(["Checked: 2 + 3 = 5. APPROVE"]), system_message="Check the answer."
    )
    return RoundRobinGroupChat(
        [solver, critic], termination_condition=TextMentionTermination("APPROVE") | MaxMessageTermination(10)
    )


class OpenAIChatCompletionClient(ReplayChatCompletionClient):
    """Stands in for ``autogen_ext.models.openai.OpenAIChatCompletionClient`` (whose extra needs tiktoken
    and an API key): the same class name and module, so the runner reads it as an OpenAI client, with
    replayed answers."""


OpenAIChatCompletionClient.__module__ = "autogen_ext.models.openai._openai_client"


def openai_team() -> RoundRobinGroupChat:
    """One agent on an (offline) OpenAI client: its usage reports provider ``openai``."""
    agent = AssistantAgent(
        "assistant", model_client=OpenAIChatCompletionClient(["Done."], model_info=MODEL_INFO), system_message="Hi."
    )
    return RoundRobinGroupChat([agent], max_turns=1)


def _tool_team(name: str, tool: Any, responses: list[Any], max_turns: int = 2) -> RoundRobinGroupChat:
    agent = AssistantAgent(name, model_client=replay(responses), tools=[tool])
    return RoundRobinGroupChat([agent], max_turns=max_turns)


def slow_team() -> RoundRobinGroupChat:
    """Calls a slow tool once per turn for hundreds of turns: long enough to be cancelled."""
    return _tool_team(
        "worker", slow_step, [tool_call("slow_step", {"note": f"n{i}"}, f"c{i}") for i in range(500)], max_turns=500
    )


def crashing_team() -> RoundRobinGroupChat:
    """Its tool SIGKILLs the worker on the first attempt of a step; the retry succeeds."""
    return _tool_team("worker", fragile_step, [tool_call("fragile_step", {"note": "x"})], max_turns=1)


def garbage_team() -> RoundRobinGroupChat:
    """Its tool corrupts the protocol stream."""
    return _tool_team("worker", noisy_step, [tool_call("noisy_step", {"note": "x"})], max_turns=1)


def exhausted_team() -> RoundRobinGroupChat:
    """Its model client has no scripted reply: AutoGen raises ValueError inside the team."""
    return RoundRobinGroupChat([AssistantAgent("mute", model_client=replay([]))], max_turns=1)


def stats_team() -> AssistantAgent:
    """A single agent (not a team) answering with this worker's STATS as JSON."""
    return AssistantAgent("stats", model_client=replay([json.dumps(STATS)]))


def json_team() -> RoundRobinGroupChat:
    """What ``autogen_team.json`` was dumped from (see ``write_json_team``)."""
    first = AssistantAgent("first", model_client=replay(["first says hello"]))
    second = AssistantAgent("second", model_client=replay(["second says goodbye"]))
    return RoundRobinGroupChat([first, second], termination_condition=MaxMessageTermination(3))


def write_json_team(path: str) -> None:
    """Regenerates the JSON component fixture: python -c 'import baton_fixture_teams as t; t.write_json_team(...)'."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json_team().dump_component().model_dump_json(indent=2) + "\n")


#: A shared team instance (the ``module:team`` target form): enough replies for many runs, so a
#: second run only looks like the first when the runner reset the team in between.
shared_team = RoundRobinGroupChat(
    [AssistantAgent("echo", model_client=replay([f"reply {i}" for i in range(50)]))],
    termination_condition=MaxMessageTermination(2),
)

#: A shared slow team, to check that a cancelled shared team is usable again.
shared_slow_team = slow_team()

not_a_team = "nope"
