import { BatonError } from '@baton/core';
import { withTail } from './bridge-crash-error.js';

/** Options of {@link BridgeProtocolError}. */
export interface BridgeProtocolErrorOptions {
  message: string;
  /** The start of the offending frame, when there is one. */
  frame?: string;
  stderrTail?: string;
  pid?: number;
  cause?: unknown;
}

/**
 * The worker broke the protocol: a malformed or oversized frame, an unexpected message, an
 * out-of-order progress sequence, or a protocol version mismatch. Fatal: the same worker code
 * would do it again. The worker is killed.
 */
export class BridgeProtocolError extends BatonError {
  readonly frame: string | undefined;
  readonly stderrTail: string;
  readonly pid: number | undefined;

  constructor(options: BridgeProtocolErrorOptions) {
    super('BATON_BRIDGE_PROTOCOL', { message: withTail(options.message, options.stderrTail), cause: options.cause }, 'fatal');
    this.frame = options.frame;
    this.stderrTail = options.stderrTail ?? '';
    this.pid = options.pid;
  }
}
