import { BatonError, type ErrorClassification, type ErrorKind } from '@baton/core';

/** Kinds by Python exception class name (the last segment of the qualified type). */
export type PythonErrorKinds = Readonly<Record<string, ErrorKind>>;

/** The Python side of a bridge run failure, as the framework adapters classify it. */
export interface PythonFailure {
  /** Last segment of the Python exception type (`RateLimitError` for `openai.RateLimitError`). */
  type: string;
  /** Whether the Python side already chose a kind (`RunError(kind=...)`, `baton_kind`). */
  explicitKind: boolean;
  /** The failure's `details` object (`{}` when it has none). */
  details: Record<string, unknown>;
}

/**
 * Python exception class names of the LLM SDKs the Python frameworks call (openai, anthropic,
 * litellm, ...) and what a retry can do about them. Matched on the last segment of the Python
 * type, so `openai.RateLimitError` and `litellm.exceptions.RateLimitError` behave alike.
 */
const PROVIDER_KINDS: PythonErrorKinds = {
  RateLimitError: 'rate_limited',
  APITimeoutError: 'timeout',
  Timeout: 'timeout',
  TimeoutError: 'timeout',
  ReadTimeout: 'timeout',
  APIConnectionError: 'retryable',
  InternalServerError: 'retryable',
  ServiceUnavailableError: 'retryable',
  OverloadedError: 'retryable',
  AuthenticationError: 'fatal',
  PermissionDeniedError: 'fatal',
  NotFoundError: 'fatal',
  BadRequestError: 'fatal',
  UnprocessableEntityError: 'fatal',
  ContextWindowExceededError: 'fatal',
  ContentPolicyViolationError: 'fatal',
};

/**
 * The Python side of a bridge run failure (`BATON_BRIDGE_RUN_FAILED`), or `undefined` for any
 * other error. The type is `details.errorType` when the runner recovered one (e.g. a team
 * participant's original class), else the error's `pythonType`.
 */
export function pythonFailureOf(error: unknown): PythonFailure | undefined {
  // By code, not `instanceof BridgeRunError`: the error may come from another copy of this package.
  if (!BatonError.isInstance(error) || error.code !== 'BATON_BRIDGE_RUN_FAILED') return undefined;
  const { pythonType, details } = error as BatonError & { pythonType?: string; details?: unknown };
  const record = typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
  const type = typeof record.errorType === 'string' ? record.errorType : (pythonType ?? '');
  return { type: type.slice(type.lastIndexOf('.') + 1), explicitKind: error.kind !== undefined, details: record };
}

/**
 * Classifies a bridge run failure by the Python exception class of a known LLM SDK: rate limits,
 * timeouts, connection and 5xx errors are retried; auth, bad requests and context overflow are fatal.
 */
export function classifyProviderError(failure: Pick<PythonFailure, 'type'>): ErrorClassification | undefined {
  const kind = PROVIDER_KINDS[failure.type];
  return kind ? { kind } : undefined;
}

/**
 * A classifier for one Python framework's bridge run failures, or `undefined` to let core decide.
 * Only run failures without an explicit kind from the Python side are looked at, by their Python
 * exception class: first `frameworkKinds` (the framework's own classes), then, unless the error
 * carries an HTTP status (core's rules handle those), the LLM SDKs' (see `classifyProviderError`).
 */
export function createPythonErrorClassifier(
  frameworkKinds: PythonErrorKinds,
): (error: unknown) => ErrorClassification | undefined {
  return (error) => {
    const failure = pythonFailureOf(error);
    if (!failure || failure.explicitKind) return undefined;
    const kind = frameworkKinds[failure.type];
    if (kind) return { kind };
    if ((error as { status?: unknown }).status !== undefined) return undefined;
    return classifyProviderError(failure);
  };
}
