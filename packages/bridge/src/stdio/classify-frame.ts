import { isJSONRPCRequest, isJSONRPCResponse, type JSONRPCID, type JSONRPCResponse } from 'json-rpc-2.0';
import { progressParamsSchema, type ProgressParams } from '../protocol/types.js';

/** What one line from a worker's protocol stream is, before any state is consulted. */
export type InboundFrame =
  | { kind: 'reply'; message: JSONRPCResponse }
  | { kind: 'progress'; params: ProgressParams }
  /** A request from the worker: none exist in this protocol version; it gets MethodNotFound. */
  | { kind: 'request'; id: JSONRPCID; method: string }
  /** An unknown notification: ignored, for forward compatibility. */
  | { kind: 'notification' }
  /** Not a valid frame: a protocol violation. */
  | { kind: 'invalid'; reason: string; cause?: unknown };

/** Parses and shape-checks one frame (a line without its newline). Never throws. */
export function classifyFrame(line: string): InboundFrame {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch (error) {
    return { kind: 'invalid', reason: 'malformed frame (not JSON) on the protocol stream', cause: error };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { kind: 'invalid', reason: 'frame is not a JSON-RPC 2.0 message object' };
  }
  if (isJSONRPCResponse(message)) return { kind: 'reply', message };
  if (!isJSONRPCRequest(message)) return { kind: 'invalid', reason: 'frame is not a JSON-RPC 2.0 message' };
  if (message.method === 'progress' && message.id === undefined) {
    const parsed = progressParamsSchema.safeParse(message.params);
    if (!parsed.success) {
      return { kind: 'invalid', reason: `malformed progress params: ${parsed.error.message}`, cause: parsed.error };
    }
    return { kind: 'progress', params: parsed.data };
  }
  if (message.id === undefined || message.id === null) return { kind: 'notification' };
  return { kind: 'request', id: message.id, method: message.method };
}
