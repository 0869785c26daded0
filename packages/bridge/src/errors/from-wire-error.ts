import { CancelledError, type ErrorKind } from '@baton/core';
import { RpcErrorCode } from '../protocol/constants.js';
import type { WireError } from '../protocol/types.js';
import { BridgeConfigError } from './bridge-config-error.js';
import { BridgeCrashError } from './bridge-crash-error.js';
import { BridgeFrameworkMissingError } from './bridge-framework-missing-error.js';
import { BridgeProtocolError } from './bridge-protocol-error.js';
import { BridgeRunError } from './bridge-run-error.js';

const KINDS = new Set<ErrorKind>(['retryable', 'fatal', 'rate_limited', 'timeout', 'cancelled']);

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Turns a JSON-RPC error reply from the Python side into a classified Baton error:
 * cancelled → `CancelledError`; missing framework → {@link BridgeFrameworkMissingError};
 * user code raised → {@link BridgeRunError}; protocol-level codes → {@link BridgeProtocolError};
 * bad runner/target/params/output → {@link BridgeConfigError}.
 */
export function fromWireError(error: WireError, context: { pid?: number; runner?: string } = {}): Error {
  const data = record(error.data);
  switch (error.code) {
    case RpcErrorCode.RequestCancelled:
      return new CancelledError(error.message);
    case RpcErrorCode.FrameworkMissing:
      return new BridgeFrameworkMissingError({
        message: error.message,
        framework: stringOf(data.framework) ?? 'unknown',
        installHint: stringOf(data.installHint) ?? "install the framework in the worker's Python environment",
        runner: stringOf(data.runner) ?? context.runner,
      });
    case RpcErrorCode.RunFailed: {
      const kind = stringOf(data.kind) as ErrorKind | undefined;
      return new BridgeRunError({
        message: error.message,
        kind: kind && KINDS.has(kind) ? kind : undefined,
        pythonType: stringOf(data.type),
        pythonTraceback: stringOf(data.traceback),
        status: numberOf(data.status),
        retryAfterMs: numberOf(data.retryAfterMs),
        details: data.details,
      });
    }
    case RpcErrorCode.ShuttingDown:
      return new BridgeCrashError({ message: error.message, reason: 'killed', pid: context.pid });
    case RpcErrorCode.ParseError:
    case RpcErrorCode.InvalidRequest:
    case RpcErrorCode.MethodNotFound:
    case RpcErrorCode.InternalError:
      return new BridgeProtocolError({ message: `Worker replied ${error.code}: ${error.message}`, pid: context.pid });
    default:
      return new BridgeConfigError({ message: error.message, rpcCode: error.code, data: error.data });
  }
}
