"""Wire constants of the Baton bridge protocol (shared with the TypeScript side).

Every message is one JSON-RPC 2.0 object on one line (UTF-8, ASCII-escaped, no embedded newline).
"""

from __future__ import annotations

#: Bumped on any incompatible change; `initialize` refuses a client that speaks another version.
PROTOCOL_VERSION = 1

#: Default cap on one frame (one line) in either direction, in bytes.
DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024


class ErrorCode:
    """JSON-RPC error codes. The TypeScript side maps each to a classified Baton error."""

    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603
    #: The run was cancelled (same code as LSP's RequestCancelled).
    REQUEST_CANCELLED = -32800
    #: No runner of that name is registered or loadable.
    RUNNER_NOT_FOUND = -32001
    #: The runner's framework (or a module the target imports) is not installed.
    FRAMEWORK_MISSING = -32002
    #: The `module:attr` target is malformed, cannot be imported, or is not usable.
    TARGET_ERROR = -32003
    #: User or framework code raised; `data.kind` may say how to classify it.
    RUN_FAILED = -32004
    #: The runner returned something that is not a RunResult or not JSON-serializable.
    OUTPUT_INVALID = -32005
    #: The worker is shutting down and accepts no new runs.
    SHUTTING_DOWN = -32006
    #: A frame was larger than the negotiated cap.
    FRAME_TOO_LARGE = -32007
