"""The autogen runner against real AutoGen AgentChat (ReplayChatCompletionClient), through the
bridge's Engine.

Skipped when AutoGen is not installed in this interpreter: run it with the repo venv
(`bash scripts/setup-python.sh && .venv/bin/python -m pytest packages/bridge/python/tests`).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

pytest.importorskip("autogen_agentchat", reason="AutoGen is not installed here (bash scripts/setup-python.sh)")
pytest.importorskip("autogen_ext.models.replay", reason="autogen-ext is not installed here")

# CrewAI and AutoGen warn about their own deprecated internals on every run.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FIXTURES = os.path.join(os.path.dirname(__file__), "framework_fixtures")
sys.path.insert(0, FIXTURES)

import baton_fixture_teams as teams  # noqa: E402
from engine_harness import start  # noqa: E402

from baton_bridge.engine import Engine  # noqa: E402
from baton_bridge.protocol import ErrorCode  # noqa: E402

M = "baton_fixture_teams"


def test_round_robin_team_outputs_events_and_usage():
    async def scenario():
        run = start(Engine(asyncio.get_running_loop()), "autogen", f"{M}:math_team", "What is 2 + 3?")
        return await run.reply(), run

    (result, error), run = asyncio.run(scenario())
    assert error is None, error
    output = result["output"]
    assert output["stop_reason"] == "Text 'APPROVE' mentioned"
    assert output["text"] == "Checked: 2 + 3 = 5. APPROVE"
    assert [m["type"] for m in output["messages"]] == [
        "TextMessage",
        "ToolCallRequestEvent",
        "ToolCallExecutionEvent",
        "TextMessage",
        "TextMessage",
    ]
    assert output["messages"][0]["content"] == "What is 2 + 3?"
    assert output["messages"][2]["content"][0]["content"] == "5"
    usage = result["usage"]
    assert usage["inputTokens"] > 10 and usage["outputTokens"] > 5
    assert usage["totalTokens"] == usage["inputTokens"] + usage["outputTokens"]
    assert run.types() == [
        "autogen.TextMessage",
        "model-finish",
        "tool-call",
        "tool-result",
        "model-finish",
        "autogen.TextMessage",
        "model-finish",
        "autogen.TextMessage",
    ]
    assert [event.get("source") for event in run.events] == ["user"] + ["solver"] * 5 + ["critic"] * 2
    call, result_event = run.events[2], run.events[3]
    assert call["toolName"] == "add" and call["input"] == {"a": 2, "b": 3} and call["toolCallId"] == "call-1"
    assert result_event["output"] == "5" and result_event["event"] == "ToolCallExecutionEvent"
    assert run.events[1]["usage"] == {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15}
    assert run.events[-1]["content"] == "Checked: 2 + 3 = 5. APPROVE"
    assert sum(e["usage"]["totalTokens"] for e in run.events if e["type"] == "model-finish") == usage["totalTokens"]
    assert all(event["framework"] == "autogen" for event in run.events)


def test_shared_team_is_reset_between_runs_and_json_config_loads():
    async def scenario():
        engine = Engine(asyncio.get_running_loop())
        first = await start(engine, "autogen", f"{M}:shared_team", "one").reply()
        second = await start(engine, "autogen", f"{M}:shared_team", {"task": "two"}).reply()
        from_json = await start(engine, "autogen", os.path.join(FIXTURES, "autogen_team.json"), {"n": 1}).reply()
        agent = await start(engine, "autogen", f"{M}:stats_team", None).reply()
        return first, second, from_json, agent

    first, second, from_json, agent = asyncio.run(scenario())
    for _result, error in (first, second, from_json, agent):
        assert error is None, error
    assert first[0]["output"]["text"] == "reply 0" and second[0]["output"]["text"] == "reply 1"
    calls = teams.shared_team._participants[0]._model_client.create_calls
    # After reset the second run's model call sees only its own task, not the first run's thread.
    assert len(calls[1]["messages"]) == len(calls[0]["messages"])
    assert from_json[0]["output"]["text"] == "second says goodbye"
    assert from_json[0]["output"]["messages"][0]["content"] == '{"n": 1}'
    assert from_json[0]["output"]["stop_reason"].startswith("Maximum number of messages 3 reached")
    assert '"pid"' in agent[0]["output"]["text"]


def test_cancel_stops_the_team_and_resets_it():
    async def scenario():
        engine = Engine(asyncio.get_running_loop())
        run = start(engine, "autogen", f"{M}:slow_team", "work")
        await run.wait_for_event(lambda event: event["type"] == "tool-result")
        engine.cancel(run.call_id)
        reply = await run.reply(timeout=30)
        calls_at_reply = teams.STATS["slow_tool_calls"]
        await asyncio.sleep(0.6)
        return reply, calls_at_reply

    (result, error), calls_at_reply = asyncio.run(scenario())
    assert result is None
    assert error["code"] == ErrorCode.REQUEST_CANCELLED
    assert teams.STATS["slow_tool_calls"] == calls_at_reply
    assert calls_at_reply < 10


def test_a_cancelled_shared_team_runs_again():
    async def scenario():
        engine = Engine(asyncio.get_running_loop())
        replies = []
        for _ in range(2):
            run = start(engine, "autogen", f"{M}:shared_slow_team", "work")
            await run.wait_for_event(lambda event: event["type"] == "tool-call")
            engine.cancel(run.call_id)
            replies.append(await run.reply(timeout=30))
        return replies

    for result, error in asyncio.run(scenario()):
        assert result is None and error["code"] == ErrorCode.REQUEST_CANCELLED, error
    assert teams.shared_slow_team._is_running is False


def test_a_participant_error_keeps_its_type():
    async def scenario():
        return await start(Engine(asyncio.get_running_loop()), "autogen", f"{M}:exhausted_team", "hi").reply()

    result, error = asyncio.run(scenario())
    assert result is None and error["code"] == ErrorCode.RUN_FAILED
    assert error["message"] == "ValueError: No more mock responses available"
    assert error["data"]["details"]["errorType"] == "ValueError"
    assert "Traceback" in error["data"]["traceback"]


def test_bad_targets_are_reported():
    async def scenario():
        engine = Engine(asyncio.get_running_loop())
        return [
            await start(engine, "autogen", target, "x").reply()
            for target in (f"{M}:not_a_team", "/no/such/team.json", "no_such_module_xyz:team")
        ]

    replies = asyncio.run(scenario())
    for (result, error), needle in zip(replies, ("str", "team.json", "no_such_module_xyz"), strict=True):
        assert result is None and error["code"] == ErrorCode.TARGET_ERROR and needle in error["message"], error


def test_missing_autogen_reports_an_install_hint():
    code = (
        "import sys; sys.modules['autogen_agentchat'] = None\n"
        "from baton_bridge.runners import get_runner\n"
        "from baton_bridge.errors import FrameworkMissingError\n"
        "try:\n    get_runner('autogen')\n"
        "except FrameworkMissingError as e:\n    print('HINT', e.data['installHint'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HINT" in out.stdout and "autogen-agentchat" in out.stdout, out


def test_usage_names_the_provider_of_a_known_model_client_only():
    async def scenario():
        run = start(Engine(asyncio.get_running_loop()), "autogen", f"{M}:openai_team", "Hi")
        return await run.reply()

    result, error = asyncio.run(scenario())
    assert error is None, error
    assert result["usage"]["provider"] == "openai"

    async def replayed():
        run = start(Engine(asyncio.get_running_loop()), "autogen", f"{M}:math_team", "What is 2 + 3?")
        return await run.reply()

    result, error = asyncio.run(replayed())
    assert error is None, error
    assert "provider" not in result["usage"]  # ReplayChatCompletionClient: no provider to name


def test_provider_of_maps_autogen_clients():
    from baton_bridge.runners.autogen import provider_of

    assert provider_of(teams.OpenAIChatCompletionClient(["x"])) == "openai"
    assert provider_of(teams.replay(["x"])) is None
    assert provider_of(None) is None
