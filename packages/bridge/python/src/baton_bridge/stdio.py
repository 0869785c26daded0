"""The stdio worker: `python -m baton_bridge`.

One JSON-RPC 2.0 message per line on a private copy of the original stdin/stdout. File
descriptors 0 and 1 are re-pointed (0 at /dev/null, 1 at stderr) before any user code runs, so a
stray `print()` - or a child process writing to its inherited stdout - lands in the log stream
and can never corrupt the protocol.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import sys
import threading
from typing import Any

from .engine import Engine
from .errors import BridgeError
from .jsonutil import dumps_lenient, dumps_strict
from .protocol import DEFAULT_MAX_FRAME_BYTES, ErrorCode
from .reaper import become_subreaper, install_sigterm_handler, kill_descendants

_DRAIN_SECONDS = 2.0


def isolate_stdio() -> tuple[int, int]:
    """Returns private (in, out) protocol fds; fd 0 becomes /dev/null and fd 1 becomes stderr."""
    sys.stdout.flush()
    proto_in, proto_out = os.dup(0), os.dup(1)  # dup() fds are non-inheritable: children never see them
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    os.set_blocking(proto_out, True)
    return proto_in, proto_out


class StdioServer:
    """Dispatches requests from the client to the Engine and writes replies and progress."""

    def __init__(self, loop: asyncio.AbstractEventLoop, out_fd: int, max_frame_bytes: int) -> None:
        self.loop = loop
        self.engine = Engine(loop)
        self.out_fd = out_fd
        self.max_frame_bytes = max_frame_bytes
        self.done: asyncio.Future = loop.create_future()
        self.shutting_down = False
        self._write_lock = threading.Lock()
        self._tasks: set[asyncio.Task] = set()
        self._handlers = {
            "initialize": self._initialize,
            "run": self._run,
            "cancel": self._cancel,
            "ping": self._ping,
            "shutdown": self._shutdown,
        }

    # --- output -------------------------------------------------------------------------------
    def write_frame(self, data: bytes) -> None:
        """Writes one complete frame (must end with a newline); safe from any thread."""
        with self._write_lock:
            view = memoryview(data)
            while view:
                written = os.write(self.out_fd, view)
                view = view[written:]

    def _send_text(self, text: str) -> None:
        self.write_frame(text.encode("ascii") + b"\n")

    def reply(self, request_id: Any, result: Any) -> None:
        try:
            text = dumps_strict({"jsonrpc": "2.0", "id": request_id, "result": result})
        except (TypeError, ValueError) as error:
            self.reply_error(
                request_id, ErrorCode.OUTPUT_INVALID, f"Output is not JSON-serializable: {error}", {"kind": "fatal"}
            )
            return
        if len(text) + 1 > self.max_frame_bytes:
            self.reply_error(
                request_id,
                ErrorCode.FRAME_TOO_LARGE,
                f"Reply of {len(text) + 1} bytes exceeds the frame cap of {self.max_frame_bytes} bytes",
                {"kind": "fatal", "bytes": len(text) + 1, "limit": self.max_frame_bytes},
            )
            return
        self._send_text(text)

    def reply_error(self, request_id: Any, code: int, message: str, data: dict | None = None) -> None:
        error: dict[str, Any] = {"code": code, "message": message}
        if data:
            error["data"] = data
        self._send_text(dumps_lenient({"jsonrpc": "2.0", "id": request_id, "error": error}))

    def send_progress(self, params: dict) -> None:
        text = dumps_lenient({"jsonrpc": "2.0", "method": "progress", "params": params})
        if len(text) + 1 > self.max_frame_bytes:
            print(
                f"baton-bridge: dropped a progress event of {len(text)} bytes (cap {self.max_frame_bytes})",
                file=sys.stderr,
            )
            params = {**params, "event": {"type": "baton.event_dropped", "reason": "too_large", "bytes": len(text)}}
            text = dumps_lenient({"jsonrpc": "2.0", "method": "progress", "params": params})
        self._send_text(text)

    # --- input --------------------------------------------------------------------------------
    def handle_line(self, line: bytes) -> None:
        try:
            message = json.loads(line)
        except ValueError as error:
            self.reply_error(None, ErrorCode.PARSE_ERROR, f"Parse error: {error}")
            return
        if (
            not isinstance(message, dict)
            or message.get("jsonrpc") != "2.0"
            or not isinstance(message.get("method"), str)
        ):
            request_id = message.get("id") if isinstance(message, dict) else None
            self.reply_error(request_id, ErrorCode.INVALID_REQUEST, "Invalid request: expected a JSON-RPC 2.0 request")
            return
        request_id, handler = message.get("id"), self._handlers.get(message["method"])
        if handler is None:
            if request_id is not None:
                self.reply_error(request_id, ErrorCode.METHOD_NOT_FOUND, f"Unknown method {message['method']!r}")
            return
        try:
            handler(request_id, message.get("params"))
        except BridgeError as error:
            if request_id is not None:
                self.reply_error(request_id, error.code, error.message, error.data)

    def frame_too_large(self) -> None:
        self.reply_error(None, ErrorCode.FRAME_TOO_LARGE, f"Incoming frame exceeds {self.max_frame_bytes} bytes")

    def on_eof(self) -> None:
        """The client closed our stdin (it exited or is shutting us down): stop everything."""
        self.shutting_down = True
        self.engine.cancel_all()
        self.loop.create_task(self._finish())

    # --- methods ------------------------------------------------------------------------------
    def _initialize(self, request_id: Any, params: Any) -> None:
        async def answer() -> None:
            try:
                self.reply(request_id, await self.engine.initialize(params))
            except BridgeError as error:
                self.reply_error(request_id, error.code, error.message, error.data)

        task = self.loop.create_task(answer())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _run(self, request_id: Any, params: Any) -> None:
        if self.shutting_down:
            raise BridgeError("Worker is shutting down", data={"kind": "retryable"})
        self.engine.start(
            params,
            self.send_progress,
            lambda result, error: self._finish_run(request_id, result, error),
            {"_raw_write": self.write_frame},
        )

    def _finish_run(self, request_id: Any, result: dict | None, error: dict | None) -> None:
        if error is not None:
            self.reply_error(request_id, error["code"], error["message"], error.get("data"))
        else:
            self.reply(request_id, result)

    def _cancel(self, request_id: Any, params: Any) -> None:
        call_id = params.get("callId") if isinstance(params, dict) else None
        cancelled = self.engine.cancel(call_id)
        if request_id is not None:
            self.reply(request_id, {"cancelled": cancelled})

    def _ping(self, request_id: Any, params: Any) -> None:
        if request_id is not None:
            self.reply(request_id, {"ok": True, "active": self.engine.active_count, "pid": os.getpid()})

    def _shutdown(self, request_id: Any, params: Any) -> None:
        self.shutting_down = True
        self.engine.cancel_all()
        if request_id is not None:
            self.reply(request_id, {"ok": True})
        self.loop.create_task(self._finish())

    async def _finish(self) -> None:
        if self._tasks:  # answer a pending initialize before leaving
            await asyncio.wait(list(self._tasks), timeout=_DRAIN_SECONDS)
        await self.engine.drain(_DRAIN_SECONDS)
        if not self.done.done():
            self.done.set_result(0)


class LineReader(asyncio.Protocol):
    """Splits the input stream into lines, each capped at `max_bytes` (an oversized one is skipped)."""

    def __init__(self, server: StdioServer, max_bytes: int) -> None:
        self.server = server
        self.max_bytes = max_bytes
        self.buffer = bytearray()
        self.discarding = False

    def data_received(self, data: bytes) -> None:
        start = 0
        while True:
            newline = data.find(b"\n", start)
            if newline < 0:
                self._keep(data[start:])
                return
            piece, start = data[start:newline], newline + 1
            if self.discarding:
                self.discarding = False
                continue
            line = bytes(self.buffer + piece) if self.buffer else piece
            self.buffer.clear()
            if len(line) > self.max_bytes:
                self.server.frame_too_large()
            elif line.strip():
                self.server.handle_line(line)

    def _keep(self, rest: bytes) -> None:
        if self.discarding or not rest:
            return
        self.buffer += rest
        if len(self.buffer) > self.max_bytes:
            self.buffer.clear()
            self.discarding = True
            self.server.frame_too_large()

    def eof_received(self) -> bool:
        self.server.on_eof()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.server.shutting_down:
            self.server.on_eof()


def _read_in_thread(loop: asyncio.AbstractEventLoop, fd: int, reader: LineReader) -> None:
    """Fallback for inputs asyncio cannot watch (e.g. a regular file): blocking reads in a thread."""

    def pump() -> None:
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                loop.call_soon_threadsafe(reader.eof_received)
                return
            loop.call_soon_threadsafe(reader.data_received, chunk)

    threading.Thread(target=pump, name="baton-bridge-stdin", daemon=True).start()


async def serve(in_fd: int, out_fd: int, max_frame_bytes: int) -> int:
    """Serves the protocol until shutdown or end of input; returns the exit code."""
    loop = asyncio.get_running_loop()
    server = StdioServer(loop, out_fd, max_frame_bytes)
    reader = LineReader(server, max_frame_bytes)
    # closefd=False: if asyncio refuses this kind of input, the fd must survive for the fallback.
    pipe = os.fdopen(in_fd, "rb", buffering=0, closefd=False)
    try:
        await loop.connect_read_pipe(lambda: reader, pipe)
    except ValueError:
        _read_in_thread(loop, in_fd, reader)
    return await server.done


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m baton_bridge", description="Baton bridge worker (stdio).")
    parser.add_argument("--max-frame-bytes", type=int, default=DEFAULT_MAX_FRAME_BYTES)
    parser.add_argument(
        "--preload",
        action="append",
        default=[],
        metavar="MODULE",
        help="import MODULE at start (e.g. one that calls register_runner)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m baton_bridge`."""
    args = _parse_args(argv)
    # Before any user code: orphaned descendants (double fork, setsid) re-parent to us, not init.
    become_subreaper()
    install_sigterm_handler()
    in_fd, out_fd = isolate_stdio()
    for module in args.preload:
        importlib.import_module(module)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    code = loop.run_until_complete(serve(in_fd, out_fd, args.max_frame_bytes))
    # Children (even ones in their own session) must not outlive the worker or hold its stderr.
    kill_descendants()
    sys.stderr.flush()
    # os._exit: a blocking framework call may still hold a worker thread, and the interpreter's
    # normal shutdown would wait for it forever.
    os._exit(code)
