import { BatonError } from '@baton/core';

/** Why a worker went away. */
export type BridgeCrashReason = 'exit' | 'signal' | 'unresponsive' | 'killed' | 'stream-closed';

/** Options of {@link BridgeCrashError}. */
export interface BridgeCrashErrorOptions {
  message: string;
  reason: BridgeCrashReason;
  exitCode?: number | null;
  signal?: NodeJS.Signals | null;
  /** Last bytes the worker wrote to stderr (its traceback, usually). */
  stderrTail?: string;
  pid?: number;
  cause?: unknown;
}

/**
 * A bridge worker crashed, was killed, or stopped answering pings while a call was pending.
 * Retryable: the pool replaces the worker, and a retry runs on a fresh process.
 */
export class BridgeCrashError extends BatonError {
  readonly reason: BridgeCrashReason;
  readonly exitCode: number | null | undefined;
  readonly signal: NodeJS.Signals | null | undefined;
  readonly stderrTail: string;
  readonly pid: number | undefined;

  constructor(options: BridgeCrashErrorOptions) {
    super(
      'BATON_BRIDGE_CRASH',
      { message: withTail(options.message, options.stderrTail), cause: options.cause },
      'retryable',
    );
    this.reason = options.reason;
    this.exitCode = options.exitCode;
    this.signal = options.signal;
    this.stderrTail = options.stderrTail ?? '';
    this.pid = options.pid;
  }
}

/** Appends the stderr tail to a message, so logs show the Python traceback without digging. */
export function withTail(message: string, stderrTail: string | undefined): string {
  const tail = stderrTail?.trim();
  return tail ? `${message}\n--- worker stderr (tail) ---\n${tail}` : message;
}
