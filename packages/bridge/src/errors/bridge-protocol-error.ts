import { BatonError } from '@baton/core';
import { withTail } from './bridge-crash-error.js';

/** How much of an offending frame a {@link BridgeProtocolError} keeps (message and `frame`). */
export const PROTOCOL_FRAME_HEAD_CHARS = 200;

/** Options of {@link BridgeProtocolError}. */
export interface BridgeProtocolErrorOptions {
  message: string;
  /** The offending frame, when there is one; truncated to {@link PROTOCOL_FRAME_HEAD_CHARS}. */
  frame?: string;
  stderrTail?: string;
  pid?: number;
  cause?: unknown;
}

/**
 * The worker broke the protocol: a malformed or oversized frame, an unexpected message, an
 * out-of-order progress sequence, a reply to an unknown or already answered request, progress
 * after a run's reply, or a protocol version mismatch. Fatal: the same worker code would do it
 * again. The worker is killed, and no later frame from it settles or feeds any call.
 */
export class BridgeProtocolError extends BatonError {
  /** The start of the offending frame (at most {@link PROTOCOL_FRAME_HEAD_CHARS} characters). */
  readonly frame: string | undefined;
  readonly stderrTail: string;
  readonly pid: number | undefined;

  constructor(options: BridgeProtocolErrorOptions) {
    const frame = options.frame === undefined ? undefined : truncateFrame(options.frame);
    const message = frame === undefined ? options.message : `${options.message}; offending frame: ${frame.text}`;
    super('BATON_BRIDGE_PROTOCOL', { message: withTail(message, options.stderrTail), cause: options.cause }, 'fatal');
    this.frame = frame?.head;
    this.stderrTail = options.stderrTail ?? '';
    this.pid = options.pid;
  }
}

function truncateFrame(frame: string): { head: string; text: string } {
  const head = frame.slice(0, PROTOCOL_FRAME_HEAD_CHARS);
  const rest = frame.length - head.length;
  return { head, text: rest > 0 ? `${JSON.stringify(head)}… (${rest} more chars)` : JSON.stringify(head) };
}
