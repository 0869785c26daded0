"""The crewai runner against real CrewAI (offline scripted LLMs), through the bridge's Engine.

Skipped when CrewAI is not installed in this interpreter: run it with the repo venv
(`bash scripts/setup-python.sh && .venv/bin/python -m pytest packages/bridge/python/tests`).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

pytest.importorskip("crewai", reason="CrewAI is not installed here (bash scripts/setup-python.sh)")

# CrewAI and AutoGen warn about their own deprecated internals on every run.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FIXTURES = os.path.join(os.path.dirname(__file__), "framework_fixtures")
sys.path.insert(0, FIXTURES)

import baton_fixture_crews as crews  # noqa: E402
from engine_harness import start  # noqa: E402

from baton_bridge.engine import Engine  # noqa: E402
from baton_bridge.protocol import ErrorCode  # noqa: E402

M = "baton_fixture_crews"


def run_async(coro):
    return asyncio.run(coro)


def test_research_crew_outputs_events_and_usage():
    async def scenario():
        run = start(Engine(asyncio.get_running_loop()), "crewai", f"{M}:research_crew", {"topic": "bees"})
        return await run.reply(), run

    (result, error), run = run_async(scenario())
    assert error is None, error
    output = result["output"]
    assert output["raw"] == '{"title": "Bees", "words": 3}'
    assert output["json_dict"] == {"title": "Bees", "words": 3}
    assert [task["name"] for task in output["tasks_output"]] == ["research", "write"]
    assert output["tasks_output"][0]["raw"] == "Bees make honey; the summary has 3 words."
    assert output["tasks_output"][0]["agent"] == "Researcher"
    assert output["token_usage"]["successful_requests"] == 3
    assert result["usage"] == {
        "inputTokens": 300,
        "outputTokens": 60,
        "totalTokens": 360,
        "model": "scripted-llm,scripted-writer",
    }
    types = run.types()
    assert types[0] == "crewai.crew_kickoff_started" and types[-1] == "crewai.crew_kickoff_completed"
    # In CrewAI's own order (a scoped stream sink, not the bus's thread pool).
    assert [event["seq"] for event in run.events] == sorted(event["seq"] for event in run.events)
    assert [t for t in types if t in ("crewai.task_started", "crewai.task_completed", "tool-call", "tool-result")] == [
        "crewai.task_started",
        "tool-call",
        "tool-result",
        "crewai.task_completed",
        "crewai.task_started",
        "crewai.task_completed",
    ]
    assert types.count("model-finish") == 3 and types.count("crewai.llm_call_started") == 3
    call = next(event for event in run.events if event["type"] == "tool-call")
    assert call["toolName"] == "word_count" and call["input"] == {"text": "bees make honey"}
    assert call["agent"] == "Researcher" and call["event"] == "tool_usage_started"
    assert next(event for event in run.events if event["type"] == "tool-result")["output"] == "3"
    finish = next(event for event in run.events if event["type"] == "model-finish")
    assert finish["model"] == "scripted-llm"
    assert finish["usage"] == {"inputTokens": 100, "outputTokens": 20, "totalTokens": 120}
    task_done = [event for event in run.events if event["type"] == "crewai.task_completed"]
    assert task_done[0]["task"] == "research" and task_done[1]["output"] == '{"title": "Bees", "words": 3}'
    assert all(event["framework"] == "crewai" for event in run.events)


def test_crew_instance_and_crewbase_targets():
    async def scenario():
        engine = Engine(asyncio.get_running_loop())
        # Two concurrent runs of one shared Crew instance are serialized, not interleaved.
        shared = [start(engine, "crewai", f"{M}:shared_crew", None) for _ in range(2)]
        project = start(engine, "crewai", f"{M}:ProjectCrew", {"topic": "ants"})
        return [await run.reply() for run in shared], await project.reply()

    shared, (project, project_error) = run_async(scenario())
    for result, error in shared:
        assert error is None, error
        assert result["output"]["raw"] == "shared crew answer"
    assert project_error is None, project_error
    assert project["output"]["json_dict"] == {"title": "Bees", "words": 3}


def test_cancel_stops_the_crew_at_its_next_call():
    async def scenario():
        engine = Engine(asyncio.get_running_loop())
        run = start(engine, "crewai", f"{M}:slow_crew", {})
        await run.wait_for_event(lambda event: event["type"] == "tool-call")
        engine.cancel(run.call_id)
        reply = await run.reply(timeout=30)
        calls_at_reply = crews.STATS["slow_tool_calls"]
        await asyncio.sleep(0.6)  # several slow_step durations: a still-running crew would call it again
        return reply, calls_at_reply

    (result, error), calls_at_reply = run_async(scenario())
    assert result is None
    assert error["code"] == ErrorCode.REQUEST_CANCELLED and error["data"]["kind"] == "cancelled"
    assert crews.STATS["slow_tool_calls"] == calls_at_reply
    assert calls_at_reply < 5


def test_bad_targets_and_inputs_are_reported():
    async def scenario():
        engine = Engine(asyncio.get_running_loop())
        runs = [
            start(engine, "crewai", f"{M}:not_a_crew", {}),
            start(engine, "crewai", "no_such_module_xyz:crew", {}),
            start(engine, "crewai", f"{M}:research_crew", "not an object"),
        ]
        return [await run.reply() for run in runs]

    (_, not_crew), (_, missing), (_, bad_input) = run_async(scenario())
    assert not_crew["code"] == ErrorCode.TARGET_ERROR and "int" in not_crew["message"]
    assert missing["code"] == ErrorCode.TARGET_ERROR and "no_such_module_xyz" in missing["message"]
    assert bad_input["code"] == ErrorCode.RUN_FAILED and bad_input["data"]["kind"] == "fatal"
    assert "JSON object" in bad_input["message"]


def test_missing_crewai_reports_an_install_hint():
    code = (
        "import sys; sys.modules['crewai'] = None\n"
        "from baton_bridge.runners import get_runner\n"
        "from baton_bridge.errors import FrameworkMissingError\n"
        "try:\n    get_runner('crewai')\nexcept FrameworkMissingError as e:\n    print('HINT', e.data['installHint'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HINT" in out.stdout and "crewai" in out.stdout, out


def test_usage_names_a_well_known_provider_only_when_the_llm_says_which():
    async def scenario():
        run = start(Engine(asyncio.get_running_loop()), "crewai", f"{M}:anthropic_crew", None)
        return await run.reply()

    result, error = run_async(scenario())
    assert error is None, error
    assert result["usage"]["provider"] == "anthropic"
    assert result["usage"]["model"] == "anthropic/claude-scripted"


def test_provider_of_maps_crewai_llms_and_leaves_unknown_ones_out():
    from crewai import LLM

    from baton_bridge.runners.crewai import provider_of

    # CrewAI's native OpenAI provider (constructed offline; no call is made).
    assert provider_of(LLM(model="gpt-4o-mini", api_key="test-key")) == "openai"
    assert provider_of(LLM(model="openai/gpt-4o", api_key="test-key")) == "openai"
    # A custom BaseLLM with a bare model name: CrewAI defaults its provider to "openai"; not believed.
    scripted = crews.ScriptedLLM(["x"])
    assert scripted.provider == "openai" and provider_of(scripted) is None
    assert provider_of(crews.ScriptedLLM(["x"], model="bedrock/claude")) == "aws.bedrock"
    assert provider_of(crews.ScriptedLLM(["x"], model="my-server/llama")) is None
    assert provider_of("gemini/gemini-2.0-flash") == "gcp.gemini"
