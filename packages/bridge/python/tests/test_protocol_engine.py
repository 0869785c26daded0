"""Unit tests of the transport-independent core (stdlib only)."""

import asyncio
import threading

import pytest

from baton_bridge.context import RunContext, normalize_usage
from baton_bridge.engine import Engine
from baton_bridge.errors import FrameworkMissingError, RunError, RunnerNotFoundError, TargetError, error_from_exception
from baton_bridge.protocol import PROTOCOL_VERSION, ErrorCode
from baton_bridge.runners import get_runner, register_runner
from baton_bridge.targets import parse_target, resolve_target


def run_engine(coro_factory):
    loop = asyncio.new_event_loop()
    try:
        # A bounded wait: a regression that loses a reply fails the test instead of hanging it.
        return loop.run_until_complete(asyncio.wait_for(coro_factory(loop), 30))
    finally:
        loop.close()


async def start_and_wait(engine, params, cancel_after=None):
    events, done = [], asyncio.get_running_loop().create_future()
    engine.start(params, events.append, lambda result, error: done.set_result((result, error)))
    if cancel_after is not None:
        await asyncio.sleep(cancel_after)
        assert engine.cancel(params["callId"]) is True
        assert engine.cancel(params["callId"]) is True  # idempotent while in flight
    result, error = await done
    return events, result, error


def params(**overrides):
    return {"callId": "c1", "runId": "r1", "runner": "echo", "target": "", "input": None, **overrides}


def test_run_emits_ordered_progress_then_result_with_usage():
    async def scenario(loop):
        engine = Engine(loop)
        return await start_and_wait(
            engine, params(input={"_events": 30, "_usage": {"prompt_tokens": 1, "completion_tokens": 2}})
        )

    events, result, error = run_engine(scenario)
    assert error is None
    assert [event["seq"] for event in events] == list(range(1, 31))
    assert result["usage"] == {"inputTokens": 1, "outputTokens": 2, "totalTokens": 3}


def test_cancel_is_idempotent_and_replies_cancelled():
    async def scenario(loop):
        engine = Engine(loop)
        outcome = await start_and_wait(engine, params(runner="sleep", input={"seconds": 60}), cancel_after=0.05)
        assert engine.cancel("c1") is False  # finished: nothing to cancel
        return outcome

    _, result, error = run_engine(scenario)
    assert result is None
    assert error["code"] == ErrorCode.REQUEST_CANCELLED


def test_cancel_before_the_task_starts_still_replies_once():
    async def scenario(loop):
        engine = Engine(loop)
        replies = []
        done = loop.create_future()

        def on_done(result, error):
            replies.append(error)
            done.set_result(None)

        engine.start(params(runner="sleep", input={"seconds": 60}), lambda _: None, on_done)
        assert engine.cancel("c1") is True  # same loop iteration: the task has not run a single step
        await done
        await asyncio.sleep(0.01)
        return replies, engine.active_count

    replies, active = run_engine(scenario)
    assert [error["code"] for error in replies] == [ErrorCode.REQUEST_CANCELLED]
    assert active == 0


def test_cancel_waits_for_a_cooperative_thread_and_runs_callbacks():
    called = threading.Event()

    class Cooperative:
        name = "test-cooperative"

        def framework_versions(self):
            return {"fake": "1.0"}

        async def run(self, target, input, ctx):
            ctx.on_cancel(called.set)

            def work():
                while not ctx.cancelled.wait(0.01):
                    pass
                return "stopped"

            return {"output": await ctx.run_in_thread(work)}

    register_runner(Cooperative, replace=True)

    async def scenario(loop):
        return await start_and_wait(Engine(loop), params(runner="test-cooperative"), cancel_after=0.05)

    _, _, error = run_engine(scenario)
    assert error["code"] == ErrorCode.REQUEST_CANCELLED
    assert called.is_set()


def test_runner_errors_are_classified():
    async def scenario(loop):
        engine = Engine(loop)
        bad = await start_and_wait(engine, params(runner="no-such-runner"))
        failed = await start_and_wait(
            engine, {**params(runner="fail", input={"mode": "raise", "kind": "fatal"}), "callId": "c2"}
        )
        return bad, failed

    (_, _, not_found), (_, _, failed) = run_engine(scenario)
    assert not_found["code"] == ErrorCode.RUNNER_NOT_FOUND
    assert failed["code"] == ErrorCode.RUN_FAILED and failed["data"]["kind"] == "fatal"


def test_initialize_checks_the_protocol_version_and_reports_runners():
    async def scenario(loop):
        engine = Engine(loop)
        info = await engine.initialize({"protocolVersion": PROTOCOL_VERSION, "runners": ["echo", "nope"]})
        with pytest.raises(Exception, match="Unsupported protocol version"):
            await engine.initialize({"protocolVersion": 99})
        return info

    info = run_engine(scenario)
    assert info["runners"]["echo"] == {"ok": True, "frameworks": {}}
    assert info["runners"]["nope"]["ok"] is False


def test_targets_and_missing_frameworks():
    assert parse_target("pkg.mod:obj.attr") == ("pkg.mod", ["obj", "attr"])
    for bad in ("nocolon", "a:b:c", ":x", "mod:", "mod:1abc"):
        with pytest.raises(TargetError):
            parse_target(bad)
    assert resolve_target("os.path:join") is __import__("os").path.join
    with pytest.raises(TargetError, match="not found"):
        resolve_target("baton_no_such_module:x")


def test_builtin_runner_with_missing_framework_gives_install_hint(monkeypatch, tmp_path):
    import baton_bridge.runners as registry

    (tmp_path / "fake_fw_runner.py").write_text("import baton_nonexistent_fw  # noqa: F401\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(registry.BUILTIN_RUNNERS, "fakefw", "fake_fw_runner")
    monkeypatch.setitem(registry.INSTALL_HINTS, "fakefw", "pip install fakefw")
    with pytest.raises(FrameworkMissingError) as caught:
        get_runner("fakefw")
    assert caught.value.data == {
        "framework": "baton_nonexistent_fw",
        "installHint": "pip install fakefw",
        "runner": "fakefw",
    }
    monkeypatch.setitem(registry.BUILTIN_RUNNERS, "gone", "baton_bridge.runners.not_written_yet")
    with pytest.raises(RunnerNotFoundError):
        get_runner("gone")


def test_usage_normalization_and_error_payloads():
    assert normalize_usage({"input_tokens": 3, "output_tokens": 4, "model": "m"}) == {
        "inputTokens": 3,
        "outputTokens": 4,
        "totalTokens": 7,
        "model": "m",
    }
    assert normalize_usage("nope") is None
    payload = error_from_exception(RunError("limited", kind="rate_limited", retry_after_ms=250, status=429))
    assert payload["data"]["kind"] == "rate_limited"
    assert payload["data"]["retryAfterMs"] == 250 and payload["data"]["status"] == 429
    assert error_from_exception(TimeoutError("slow"))["data"]["kind"] == "timeout"


def test_context_emit_is_dropped_after_close_and_on_cancel_fires_once():
    loop = asyncio.new_event_loop()
    sent = []
    ctx = RunContext(
        call_id="c",
        run_id="r",
        step_id=None,
        idempotency_key=None,
        traceparent=None,
        options=None,
        loop=loop,
        emit=sent.append,
    )
    calls = []
    ctx.on_cancel(lambda: calls.append(1))
    ctx._cancel()
    ctx._cancel()
    ctx.on_cancel(lambda: calls.append(2))  # registered late: runs at once
    assert calls == [1, 2]
    assert ctx.cancelled.is_set()
    loop.close()
