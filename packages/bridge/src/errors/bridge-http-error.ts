import { BatonError } from '@baton/core';

/** Options of {@link BridgeHttpError}. */
export interface BridgeHttpErrorOptions {
  message: string;
  /** HTTP status of the failed response; absent for network failures. */
  status?: number;
  /** Server-sent Retry-After, in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A request to an HTTP bridge server failed. With a `status`, core's classifier decides
 * (5xx/429 retry, other 4xx fatal); without one (connection refused, reset) it is retryable.
 */
export class BridgeHttpError extends BatonError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(options: BridgeHttpErrorOptions) {
    super(
      'BATON_BRIDGE_HTTP',
      { message: options.message, cause: options.cause },
      options.status === undefined ? 'retryable' : undefined,
    );
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
