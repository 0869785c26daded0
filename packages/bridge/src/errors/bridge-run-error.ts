import { BatonError, type ErrorKind } from '@baton/core';

/** Options of {@link BridgeRunError}. */
export interface BridgeRunErrorOptions {
  message: string;
  /** Explicit classification from the Python side (`RunError(kind=...)`, `baton_kind`), if any. */
  kind?: ErrorKind;
  /** Qualified Python exception type, e.g. `openai.RateLimitError`. */
  pythonType?: string;
  pythonTraceback?: string;
  /** HTTP-like status of the Python exception (`status_code`), used by core's classifier. */
  status?: number;
  retryAfterMs?: number;
  details?: unknown;
}

/**
 * User or framework code raised inside the worker. Without an explicit `kind`, core's
 * `classifyError` decides from `status` / `retryAfterMs` (e.g. 429 → rate limited), else its default.
 */
export class BridgeRunError extends BatonError {
  readonly pythonType: string | undefined;
  readonly pythonTraceback: string | undefined;
  /** Read by core's `httpStatusOf`. */
  readonly status: number | undefined;
  /** Read by core's `retryAfterOf`. */
  readonly retryAfterMs: number | undefined;
  readonly details: unknown;

  constructor(options: BridgeRunErrorOptions) {
    super('BATON_BRIDGE_RUN_FAILED', { message: options.message }, options.kind);
    this.pythonType = options.pythonType;
    this.pythonTraceback = options.pythonTraceback;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}
