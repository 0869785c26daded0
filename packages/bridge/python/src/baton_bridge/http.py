"""The HTTP bridge server: `python -m baton_bridge.http --port 8765`.

A long-running alternative to stdio workers, stdlib only (http.server + an asyncio loop in a
background thread). Endpoints (JSON unless noted; `Authorization: Bearer <token>` when a token is
configured):

- ``GET  /health[?runners=a,b]``       -> initialize-style info (versions, runner status)
- ``POST /runs`` -> start a run: body = stdio `run` params (`callId` optional) -> 201 {callId, status}
- ``GET  /runs/{callId}``               -> {callId, runId, status, lastSeq, result?, error?}
- ``GET  /runs/{callId}/events``        -> Server-Sent Events: `progress` (id = seq; resumable with
  Last-Event-ID or ?after=N), then one terminal `result` or `error` event
- ``POST /runs/{callId}/cancel``        -> {cancelled: bool} (idempotent)
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from .engine import Engine
from .errors import BridgeError, InvalidParamsError
from .jsonutil import dumps_lenient, dumps_strict
from .protocol import PROTOCOL_VERSION, ErrorCode

_HEARTBEAT_SECONDS = 15.0
_MAX_BODY_BYTES = 16 * 1024 * 1024


class RunRecord:
    """A run's buffered events and outcome, shared between the loop thread and request threads."""

    def __init__(self, call_id: str, run_id: str) -> None:
        self.call_id = call_id
        self.run_id = run_id
        self.events: list[tuple[int, str]] = []
        self.status = "running"
        self.result_text: str | None = None
        self.error: dict | None = None
        self.finished_at: float | None = None
        self.cond = threading.Condition()

    def add_event(self, params: dict) -> None:
        text = dumps_lenient(params)
        with self.cond:
            self.events.append((params["seq"], text))
            self.cond.notify_all()

    def finish(self, result: dict | None, error: dict | None) -> None:
        if error is None:
            try:
                text = dumps_strict(result)
            except (TypeError, ValueError) as exc:
                error = {
                    "code": ErrorCode.OUTPUT_INVALID,
                    "message": f"Output is not JSON-serializable: {exc}",
                    "data": {"kind": "fatal"},
                }
        with self.cond:
            if error is None:
                self.status, self.result_text = "succeeded", text
            else:
                self.status = "cancelled" if error.get("code") == ErrorCode.REQUEST_CANCELLED else "failed"
                self.error = error
            self.finished_at = time.monotonic()
            self.cond.notify_all()

    def snapshot(self) -> dict[str, Any]:
        with self.cond:
            body: dict[str, Any] = {
                "callId": self.call_id,
                "runId": self.run_id,
                "status": self.status,
                "lastSeq": self.events[-1][0] if self.events else 0,
            }
            if self.result_text is not None:
                body["result"] = json.loads(self.result_text)
            if self.error is not None:
                body["error"] = self.error
            return body


class HttpBridge:
    """Owns the asyncio loop (in a daemon thread), the Engine and the run records."""

    def __init__(self, token: str | None, retain_seconds: float) -> None:
        self.token = token
        self.retain_seconds = retain_seconds
        self.loop = asyncio.new_event_loop()
        self.engine = Engine(self.loop)
        self.records: dict[str, RunRecord] = {}
        self.lock = threading.Lock()
        threading.Thread(target=self.loop.run_forever, name="baton-bridge-loop", daemon=True).start()

    def call(self, coro: Any, timeout: float | None = None) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self, params: Any) -> tuple[RunRecord, bool]:
        """Starts a run; an existing callId returns its record (so a retried POST is harmless)."""
        if not isinstance(params, dict):
            raise InvalidParamsError("run: body must be a JSON object")
        params = {**params, "callId": params.get("callId") or str(uuid.uuid4())}
        with self.lock:
            self._prune()
            existing = self.records.get(params["callId"])
            if existing is not None:
                return existing, False
            record = RunRecord(params["callId"], str(params.get("runId", "")))
            self.records[record.call_id] = record

        async def begin() -> None:
            self.engine.start(params, record.add_event, record.finish)

        try:
            self.call(begin())
        except BridgeError:
            with self.lock:
                self.records.pop(record.call_id, None)
            raise
        return record, True

    def cancel(self, call_id: str) -> bool:
        async def cancel() -> bool:
            return self.engine.cancel(call_id)

        return self.call(cancel())

    def health(self, runners: list[str]) -> dict[str, Any]:
        info = self.call(self.engine.initialize({"protocolVersion": PROTOCOL_VERSION, "runners": runners}))
        return {"ok": True, "active": self.engine.active_count, **info}

    def _prune(self) -> None:
        cutoff = time.monotonic() - self.retain_seconds
        for call_id, record in list(self.records.items()):
            if record.finished_at is not None and record.finished_at < cutoff:
                del self.records[call_id]


class Handler(BaseHTTPRequestHandler):
    """Routes requests to the HttpBridge (one thread per connection)."""

    protocol_version = "HTTP/1.1"
    bridge: HttpBridge  # set on the subclass built by `serve`
    verbose = False

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.verbose:
            sys.stderr.write(f"baton-bridge http: {format % args}\n")

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        url = urlparse(self.path)
        parts = [part for part in url.path.split("/") if part]
        try:
            # Always consume the body: unread bytes would corrupt the next request on a kept-alive connection.
            body = self._body() if method == "POST" else None
            if not self._authorized():
                return self._json(
                    401, {"error": {"code": ErrorCode.INVALID_REQUEST, "message": "Missing or wrong bearer token"}}
                )
            if method == "GET" and parts == ["health"]:
                runners = [name for name in parse_qs(url.query).get("runners", [""])[0].split(",") if name]
                return self._json(200, self.bridge.health(runners))
            if method == "POST" and parts == ["runs"]:
                record, created = self.bridge.start(body)
                return self._json(201 if created else 200, {"callId": record.call_id, "status": record.status})
            if len(parts) >= 2 and parts[0] == "runs":
                return self._run_route(method, parts, url.query)
            self._json(404, {"error": {"code": ErrorCode.METHOD_NOT_FOUND, "message": f"No route {method} {url.path}"}})
        except BridgeError as error:
            status = (
                400
                if error.code in (ErrorCode.INVALID_PARAMS, ErrorCode.INVALID_REQUEST, ErrorCode.PARSE_ERROR)
                else 500
            )
            self._json(status, {"error": error.to_rpc()})
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _run_route(self, method: str, parts: list[str], query: str) -> None:
        record = self.bridge.records.get(parts[1])
        if record is None:
            return self._json(
                404, {"error": {"code": ErrorCode.INVALID_PARAMS, "message": f"No run with callId {parts[1]!r}"}}
            )
        if method == "GET" and len(parts) == 2:
            return self._json(200, record.snapshot())
        if method == "GET" and parts[2:] == ["events"]:
            after = self.headers.get("Last-Event-ID") or parse_qs(query).get("after", ["0"])[0]
            return self._stream(record, int(after) if str(after).isdigit() else 0)
        if method == "POST" and parts[2:] == ["cancel"]:
            return self._json(200, {"cancelled": self.bridge.cancel(record.call_id)})
        self._json(404, {"error": {"code": ErrorCode.METHOD_NOT_FOUND, "message": f"No route {method} {self.path}"}})

    def _authorized(self) -> bool:
        return not self.bridge.token or self.headers.get("Authorization") == f"Bearer {self.bridge.token}"

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY_BYTES:
            raise InvalidParamsError(f"Body of {length} bytes exceeds {_MAX_BODY_BYTES}")
        try:
            return json.loads(self.rfile.read(length) or b"null")
        except ValueError as error:
            raise InvalidParamsError(f"Body is not JSON: {error}") from error

    def _json(self, status: int, body: Any) -> None:
        data = dumps_lenient(body).encode("ascii")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, record: RunRecord, after: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        index = next((i for i, (seq, _) in enumerate(record.events) if seq > after), len(record.events))
        while True:
            with record.cond:
                if index >= len(record.events) and record.status == "running":
                    record.cond.wait(_HEARTBEAT_SECONDS)
                pending, index = record.events[index:], len(record.events)
                done = record.status != "running"
                terminal = self._terminal(record) if done else None
            chunks = [f"id: {seq}\nevent: progress\ndata: {text}\n\n" for seq, text in pending]
            chunks.append(terminal or ("" if pending else ": keepalive\n\n"))
            try:
                self.wfile.write("".join(chunks).encode("ascii"))
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return
            if done:
                return

    @staticmethod
    def _terminal(record: RunRecord) -> str:
        if record.result_text is not None:
            return f"event: result\ndata: {record.result_text}\n\n"
        return f"event: error\ndata: {dumps_lenient(record.error)}\n\n"


def serve(
    host: str, port: int, token: str | None, retain_seconds: float = 600.0, verbose: bool = False
) -> ThreadingHTTPServer:
    """Creates the server (bound, not yet serving); `server.server_address` has the real port."""
    bridge = HttpBridge(token, retain_seconds)
    handler = type("BoundHandler", (Handler,), {"bridge": bridge, "verbose": verbose})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m baton_bridge.http`."""
    parser = argparse.ArgumentParser(prog="python -m baton_bridge.http", description="Baton bridge HTTP+SSE server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port (printed on stdout)")
    parser.add_argument("--token", default=os.environ.get("BATON_BRIDGE_TOKEN"), help="require this bearer token")
    parser.add_argument("--retain-seconds", type=float, default=600.0, help="keep finished runs this long")
    parser.add_argument("--preload", action="append", default=[], metavar="MODULE")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    for module in args.preload:
        importlib.import_module(module)
    server = serve(args.host, args.port, args.token, args.retain_seconds, args.verbose)
    host, port = server.server_address[:2]
    print(f"baton-bridge listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
