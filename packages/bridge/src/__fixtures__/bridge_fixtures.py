"""User code for the bridge's protocol tests (put on the worker's PYTHONPATH via `pythonPath`)."""

import asyncio
import os
import subprocess
import sys
import time


def read_env(input, ctx):
    return {name: os.environ.get(name) for name in input["names"]}


def context_fields(input, ctx):
    return {
        "runId": ctx.run_id,
        "stepId": ctx.step_id,
        "idempotencyKey": ctx.idempotency_key,
        "traceparent": ctx.traceparent,
        "tracestate": ctx.tracestate,
        "options": ctx.options,
    }


async def async_add(input, ctx):
    ctx.emit({"type": "adding", "a": input["a"], "b": input["b"]})
    await asyncio.sleep(0)
    ctx.report_usage({"prompt_tokens": 2, "completion_tokens": 1, "model": "fake-1", "provider": "openai"})
    return input["a"] + input["b"]


def noisy(input, ctx):
    """Writes to stdout every way user code can; none of it may reach the protocol stream."""
    print("stray print()")
    sys.stdout.write("stray sys.stdout.write\n")
    sys.stdout.flush()
    os.write(1, b"stray os.write(1)\n")
    subprocess.run(["sh", "-c", "echo stray child process"], check=True)
    return "still fine"


def cooperative(input, ctx):
    """Blocking loop that stops when cancelled (runs in a worker thread)."""
    ctx.emit({"type": "started", "pid": os.getpid()})
    while not ctx.cancelled.is_set():
        time.sleep(0.01)
    ctx.raise_if_cancelled()


class RateLimited(Exception):
    status_code = 429
    retry_after_ms = 1500


def rate_limited(input, ctx):
    raise RateLimited("slow down")


def crash_once(input, ctx):
    """Dies on the first call (per marker file) and succeeds afterwards: a crash to retry."""
    marker = input["marker"]
    if not os.path.exists(marker):
        with open(marker, "w") as handle:
            handle.write(str(os.getpid()))
        print("crash_once: dying on purpose", file=sys.stderr, flush=True)
        os._exit(7)
    return {"recovered": True, "pid": os.getpid()}


def pid(input, ctx):
    return os.getpid()


def big_output(input, ctx):
    return "y" * int(input)


_DOUBLE_FORK = """
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(1, str(os.getpid()).encode())
        os.close(1)
        time.sleep(3600)
    os._exit(0)
os.wait()
"""


def spawn_escapees(input, ctx):
    """Starts two descendants that leave the worker's process group (both keep its stderr):
    a child in a new session, and a double-forked, setsid grandchild whose parent exits."""
    session = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"], start_new_session=True)
    daemon = subprocess.run([sys.executable, "-c", _DOUBLE_FORK], stdout=subprocess.PIPE, check=True)
    return {"session": session.pid, "daemon": int(daemon.stdout)}


async def spawn_escapees_ignoring_sigterm(input, ctx):
    """Like spawn_escapees, but the worker then ignores SIGTERM, so its own sweep never runs when
    it is killed: only the client's record of its descendants can catch them."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # async: runs on the main thread
    return spawn_escapees(input, ctx)
