"""Offline CrewAI crews for the bridge's real-framework tests (pytest and the adapter's vitest).

Every LLM is a scripted ``BaseLLM`` subclass: real CrewAI agents, tasks, tools, ReAct parsing,
events and usage accounting, no network. Each factory builds a fresh crew per run.

State shared with the tests: ``STATS`` counts calls in this worker process (read back through
``stats_crew``), and ``BATON_FIXTURE_STATE_DIR`` (default: the temp dir) holds crash markers.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any, Union

from crewai import Agent, BaseLLM, Crew, Process, Task
from crewai.events.types.llm_events import LLMCallType
from crewai.llms.base_llm import llm_call_context
from crewai.tools import tool
from pydantic import BaseModel

from baton_bridge.runners.crewai import current_context

#: Fixed per-call token counts, so tests can assert exact usage.
PROMPT_TOKENS_PER_CALL = 100
COMPLETION_TOKENS_PER_CALL = 20

STATS: dict[str, int] = {"llm_calls": 0, "slow_tool_calls": 0, "pid": os.getpid()}
_stats_lock = threading.Lock()

ScriptEntry = Union[str, Callable[[Any], str]]  # noqa: UP007 - a runtime alias, evaluated on 3.10 too


def _count(key: str) -> None:
    with _stats_lock:
        STATS[key] += 1


class ScriptedLLM(BaseLLM):
    """Answers from a script (the last entry repeats); behaves like a native provider otherwise:
    emits LLM call events and reports token usage."""

    def __init__(self, script: list[ScriptEntry], model: str = "scripted-llm", **kwargs: Any) -> None:
        super().__init__(model=model, **kwargs)
        self._script = list(script)
        self._index = 0
        self._script_lock = threading.Lock()

    def call(
        self,
        messages: Any,
        tools: Any = None,
        callbacks: Any = None,
        available_functions: Any = None,
        from_task: Any = None,
        from_agent: Any = None,
        response_model: Any = None,
        **kwargs: Any,
    ) -> str:
        with llm_call_context():  # gives the started/completed events one call id, like native providers
            return self._answer(messages, tools, callbacks, available_functions, from_task, from_agent)

    def _answer(
        self, messages: Any, tools: Any, callbacks: Any, available_functions: Any, from_task: Any, from_agent: Any
    ) -> str:
        self._emit_call_started_event(
            messages=messages,
            tools=tools,
            callbacks=callbacks,
            available_functions=available_functions,
            from_task=from_task,
            from_agent=from_agent,
        )
        with self._script_lock:
            entry = self._script[min(self._index, len(self._script) - 1)]
            self._index += 1
        _count("llm_calls")
        text = entry(messages) if callable(entry) else entry
        usage = {
            "prompt_tokens": PROMPT_TOKENS_PER_CALL,
            "completion_tokens": COMPLETION_TOKENS_PER_CALL,
            "total_tokens": PROMPT_TOKENS_PER_CALL + COMPLETION_TOKENS_PER_CALL,
        }
        self._track_token_usage_internal(usage)
        self._emit_call_completed_event(
            response=text,
            call_type=LLMCallType.LLM_CALL,
            from_task=from_task,
            from_agent=from_agent,
            messages=messages,
            usage=usage,
        )
        return text

    def supports_function_calling(self) -> bool:
        return False  # ReAct text protocol: "Action: tool / Action Input: {...}"

    def supports_stop_words(self) -> bool:
        return False

    def get_context_window_size(self) -> int:
        return 8192


def action(tool_name: str, args: dict[str, Any]) -> str:
    return f"Thought: I should use a tool.\nAction: {tool_name}\nAction Input: {json.dumps(args)}"


def final(answer: str) -> str:
    return f"Thought: I now know the final answer.\nFinal Answer: {answer}"


class Report(BaseModel):
    title: str
    words: int


@tool("word_count")
def word_count(text: str) -> str:
    """Counts the words in a text."""
    return str(len(text.split()))


@tool("slow_step")
def slow_step(note: str) -> str:
    """Does one slow step of research (a short sleep)."""
    _count("slow_tool_calls")
    time.sleep(0.2)
    return f"step done: {note}"


def _marker_path() -> str:
    ctx = current_context()
    key = ctx.idempotency_key if ctx is not None and ctx.idempotency_key else "no-context"
    base = os.environ.get("BATON_FIXTURE_STATE_DIR", tempfile.gettempdir())
    return os.path.join(base, "crash-" + hashlib.sha256(key.encode()).hexdigest()[:16])


@tool("fragile_step")
def fragile_step(note: str) -> str:
    """Kills its own worker process the first time it runs for a step (a crash mid-run)."""
    marker = _marker_path()
    if not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return f"survived: {note}"


@tool("noisy_step")
def noisy_step(note: str) -> str:
    """Writes a corrupt frame onto the bridge's protocol stream, then hangs (a broken worker)."""
    ctx = current_context()
    ctx._raw_write(b"<<this is not JSON-RPC>>\n")
    while not ctx.cancelled.is_set():
        time.sleep(0.05)
    return "unreachable"


def _agent(role: str, llm: BaseLLM, tools: list[Any] | None = None) -> Agent:
    return Agent(
        role=role,
        goal=f"Do the {role.lower()} part well.",
        backstory=f"A careful {role.lower()}.",
        llm=llm,
        tools=tools or [],
        allow_delegation=False,
        max_retry_limit=0,
        verbose=False,
    )


def research_crew() -> Crew:
    """Two agents, two tasks, one tool; the writer's task has a JSON output model."""
    researcher = _agent(
        "Researcher",
        ScriptedLLM(
            [
                action("word_count", {"text": "bees make honey"}),
                final("Bees make honey; the summary has 3 words."),
            ]
        ),
        [word_count],
    )
    writer = _agent("Writer", ScriptedLLM([final('{"title": "Bees", "words": 3}')], model="scripted-writer"))
    research = Task(
        name="research",
        description="Research {topic} and count the words of a summary.",
        expected_output="Facts about {topic}.",
        agent=researcher,
    )
    write = Task(
        name="write",
        description="Write a short JSON report about {topic}.",
        expected_output="A JSON report.",
        agent=writer,
        output_json=Report,
        context=[research],
    )
    return Crew(agents=[researcher, writer], tasks=[research, write], process=Process.sequential, verbose=False)


def _single_task_crew(llm: ScriptedLLM, tools: list[Any]) -> Crew:
    agent = _agent("Worker", llm, tools)
    task = Task(name="work", description="Do the work.", expected_output="A result.", agent=agent)
    return Crew(agents=[agent], tasks=[task], process=Process.sequential, verbose=False)


def slow_crew() -> Crew:
    """Calls a slow tool hundreds of times: long enough to be cancelled mid-run."""
    return _single_task_crew(
        ScriptedLLM([action("slow_step", {"note": f"n{i}"}) for i in range(500)] + [final("done")]), [slow_step]
    )


def crashing_crew() -> Crew:
    """Its tool SIGKILLs the worker on the first attempt of a step; the retry succeeds."""
    return _single_task_crew(
        ScriptedLLM([action("fragile_step", {"note": "x"}), final("recovered after a crash")]), [fragile_step]
    )


def garbage_crew() -> Crew:
    """Its tool corrupts the protocol stream."""
    return _single_task_crew(ScriptedLLM([action("noisy_step", {"note": "x"}), final("unreachable")]), [noisy_step])


def stats_crew() -> Crew:
    """Answers with this worker's STATS as JSON (read when the LLM is called)."""
    return _single_task_crew(ScriptedLLM([lambda _messages: final(json.dumps(STATS))]), [])


#: A shared Crew instance (the ``module:crew`` target form); it answers the same every run.
def anthropic_crew() -> Crew:
    """A crew whose (scripted) LLM names its provider in the model string, as ``LLM("anthropic/…")`` does."""
    return _single_task_crew(ScriptedLLM([final("named provider")], model="anthropic/claude-scripted"), [])


shared_crew = _single_task_crew(ScriptedLLM([final("shared crew answer")], model="scripted-shared"), [])


class ProjectCrew:
    """The ``@CrewBase`` shape: a class whose instances build the crew in ``crew()``."""

    def crew(self) -> Crew:
        return research_crew()


not_a_crew = 42
