"""End-to-end tests of `python -m baton_bridge` as a subprocess speaking the wire protocol."""

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")


def converse(*messages):
    """Sends each request and waits for its reply before the next; returns (replies, stderr)."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "baton_bridge"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    lines = []
    try:
        for message in messages:
            worker.stdin.write((json.dumps(message) + "\n").encode())
            worker.stdin.flush()
            while True:
                line = json.loads(worker.stdout.readline())
                lines.append(line)
                if line.get("id") == message["id"]:
                    break
        worker.stdin.close()
        worker.wait(timeout=30)
        return lines, worker.stderr.read().decode()
    finally:
        worker.kill()


def request(id, method, params=None):
    return {"jsonrpc": "2.0", "id": id, "method": method, "params": params or {}}


def test_initialize_ping_and_stdout_isolation():
    out, err = converse(
        request(1, "initialize", {"protocolVersion": 1, "runners": ["echo"]}),
        request(2, "ping"),
        request(
            3, "run", {"callId": "a", "runId": "r", "runner": "echo", "target": "", "input": {"_print": "PRINTED"}}
        ),
        request(4, "shutdown"),
    )
    by_id = {message.get("id"): message for message in out}
    assert by_id[1]["result"]["protocolVersion"] == 1
    assert by_id[2]["result"]["ok"] is True
    assert all(message.get("jsonrpc") == "2.0" for message in out)  # every stdout line is protocol
    assert "PRINTED" in err


def test_unknown_method_bad_json_and_oversized_frames_get_error_replies():
    args = [sys.executable, "-m", "baton_bridge", "--max-frame-bytes", "2048"]
    payload = b"not json\n" + (b'{"x":"' + b"y" * 5000 + b'"}\n') + json.dumps(request(7, "nope")).encode() + b"\n"
    done = subprocess.run(
        args, input=payload, capture_output=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=30, check=True
    )
    replies = [json.loads(line) for line in done.stdout.decode().splitlines()]
    codes = [reply["error"]["code"] for reply in replies]
    assert codes == [-32700, -32007, -32601]


def test_input_from_a_regular_file_uses_the_thread_reader(tmp_path):
    requests = tmp_path / "in.jsonl"
    requests.write_text(json.dumps(request(1, "ping")) + "\n")
    with requests.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "baton_bridge"],
            stdin=stdin,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": SRC},
            timeout=30,
            check=True,
        )
    assert json.loads(done.stdout.decode().splitlines()[0])["result"]["ok"] is True
