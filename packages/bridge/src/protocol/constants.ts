/** Version of the bridge wire protocol; `initialize` fails when the Python side speaks another. */
export const PROTOCOL_VERSION = 1;

/** Default cap on one frame (one JSON line) in either direction: 16 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * JSON-RPC error codes used by the bridge (the Python side's `baton_bridge.protocol.ErrorCode`).
 * Codes -32000..-32099 are the bridge's own; -32800 is LSP's RequestCancelled.
 */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  RequestCancelled: -32800,
  RunnerNotFound: -32001,
  FrameworkMissing: -32002,
  TargetError: -32003,
  RunFailed: -32004,
  OutputInvalid: -32005,
  ShuttingDown: -32006,
  FrameTooLarge: -32007,
} as const;

/** One of {@link RpcErrorCode}'s values. */
export type RpcErrorCodeValue = (typeof RpcErrorCode)[keyof typeof RpcErrorCode];
