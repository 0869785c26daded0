const marker = Symbol.for('baton.error');

/** How the supervisor treats a failure: retry it, give up, wait for a rate limit, or stop. */
export type ErrorKind = 'retryable' | 'fatal' | 'rate_limited' | 'timeout' | 'cancelled';

/** Constructor options shared by every Baton error. */
export interface BatonErrorOptions {
  /** Human-readable description; should name the offending value. */
  message: string;
  /** The underlying error, kept for debugging and for `error.cause` chains. */
  cause?: unknown;
}

/**
 * Base class of every error Baton throws. Each subclass has a stable `code`
 * (safe to match on) and, where it implies one, a classification `kind`.
 *
 * `BatonError.isInstance` works across duplicate copies of the package
 * (it checks a `Symbol.for` brand rather than the prototype chain).
 */
export class BatonError extends Error {
  readonly [marker] = true;
  /** Stable machine-readable code, e.g. `BATON_WORKFLOW_INVALID`. */
  readonly code: string;
  /** The classification this error implies, if any. */
  readonly kind: ErrorKind | undefined;

  constructor(code: string, options: BatonErrorOptions, kind?: ErrorKind) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.kind = kind;
  }

  /** True for any Baton error, even one created by another copy of this package. */
  static isInstance(value: unknown): value is BatonError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}
