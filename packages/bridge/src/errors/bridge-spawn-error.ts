import { BatonError } from '@baton/core';
import { withTail } from './bridge-crash-error.js';

/** Options of {@link BridgeSpawnError}. */
export interface BridgeSpawnErrorOptions {
  message: string;
  /** The Python executable that was run. */
  python: string;
  exitCode?: number | null;
  stderrTail?: string;
  cause?: unknown;
}

/**
 * A worker could not be started: the Python executable is missing, `baton_bridge` is not
 * importable, or the worker died or timed out before answering `initialize`. Fatal: it is a
 * setup problem, not a transient one.
 */
export class BridgeSpawnError extends BatonError {
  readonly python: string;
  readonly exitCode: number | null | undefined;
  readonly stderrTail: string;

  constructor(options: BridgeSpawnErrorOptions) {
    super(
      'BATON_BRIDGE_SPAWN',
      { message: withTail(options.message, options.stderrTail), cause: options.cause },
      'fatal',
    );
    this.python = options.python;
    this.exitCode = options.exitCode;
    this.stderrTail = options.stderrTail ?? '';
  }
}
