"""A fake bridge worker that breaks the protocol on purpose (`python3 fake_worker.py ...`).

It answers `initialize` correctly, waits for `FAKE_RUNS` run requests, then writes the frames of
scenario `FAKE_MODE` - the violation and valid replies together - in ONE os.write, so the client
reads them in the same chunk. Then it idles until it is killed.
"""

import json
import os
import sys
import time


def frame(message):
    return json.dumps(message) + "\n"


def reply(request_id, output):
    return frame({"jsonrpc": "2.0", "id": request_id, "result": {"output": output}})


def progress(call_id, seq, event="tick"):
    return frame({"jsonrpc": "2.0", "method": "progress",
                  "params": {"runId": "run-v", "callId": call_id, "seq": seq, "event": event}})


def scenario(mode, runs):
    (a_id, a_call), *rest = runs
    if mode == "seq-out-of-order":
        return progress(a_call, 2) + progress(a_call, 1) + reply(a_id, "bad worker's value")
    if mode == "unknown-id":
        return reply(999, "nobody asked") + progress(a_call, 1) + reply(a_id, "bad worker's value")
    if mode == "malformed":
        return "this is not json\n" + progress(a_call, 1) + reply(a_id, "bad worker's value")
    (b_id, b_call) = rest[0]
    if mode == "duplicate-reply":
        return reply(a_id, "first") + reply(a_id, "again") + progress(b_call, 1) + reply(b_id, "bad worker's value")
    if mode == "progress-after-reply":
        return reply(a_id, "first") + progress(a_call, 1) + progress(b_call, 1) + reply(b_id, "bad worker's value")
    raise SystemExit(f"unknown FAKE_MODE {mode!r}")


def main():
    mode, wanted = os.environ["FAKE_MODE"], int(os.environ.get("FAKE_RUNS", "1"))
    out = sys.stdout.fileno()
    runs = []
    for line in sys.stdin:
        message = json.loads(line)
        if message.get("method") == "initialize":
            os.write(out, frame({"jsonrpc": "2.0", "id": message["id"], "result": {
                "protocolVersion": 1, "server": {"name": "fake", "version": "0"},
                "python": {"version": "3", "implementation": "CPython", "executable": sys.executable},
                "pid": os.getpid(), "capabilities": {}, "runners": {}, "available": [], "frameworks": {},
            }}).encode())
        elif message.get("method") == "run":
            runs.append((message["id"], message["params"]["callId"]))
            if len(runs) == wanted:
                os.write(out, scenario(mode, runs).encode())
    while True:  # stdin closed: wait to be killed, like a wedged worker
        time.sleep(1)


main()
