import { BatonError, type ErrorClassification, type ErrorKind } from '@baton/core';

/**
 * Python exception class names of the LLM SDKs CrewAI calls (openai, anthropic, litellm, ...)
 * and what a retry can do about them. Matched on the last segment of the Python type, so
 * `openai.RateLimitError` and `litellm.exceptions.RateLimitError` behave alike.
 */
const PROVIDER_KINDS: Readonly<Record<string, ErrorKind>> = {
  RateLimitError: 'rate_limited',
  APITimeoutError: 'timeout', Timeout: 'timeout', TimeoutError: 'timeout', ReadTimeout: 'timeout',
  APIConnectionError: 'retryable', InternalServerError: 'retryable', ServiceUnavailableError: 'retryable',
  OverloadedError: 'retryable',
  AuthenticationError: 'fatal', PermissionDeniedError: 'fatal', NotFoundError: 'fatal', BadRequestError: 'fatal',
  UnprocessableEntityError: 'fatal', ContextWindowExceededError: 'fatal', ContentPolicyViolationError: 'fatal',
};

/** The Python side of a bridge run failure, or undefined for any other error. */
export function pythonFailure(error: unknown): { type: string; explicitKind: boolean; details: Record<string, unknown> } | undefined {
  if (!BatonError.isInstance(error) || error.code !== 'BATON_BRIDGE_RUN_FAILED') return undefined;
  const { pythonType, details } = error as BatonError & { pythonType?: string; details?: unknown };
  const record = typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
  const type = typeof record.errorType === 'string' ? record.errorType : pythonType ?? '';
  return { type: type.slice(type.lastIndexOf('.') + 1), explicitKind: error.kind !== undefined, details: record };
}

/** Classifies a bridge run failure by the Python exception class of a known LLM SDK. */
export function classifyProviderError(failure: { type: string }): ErrorClassification | undefined {
  const kind = PROVIDER_KINDS[failure.type];
  return kind ? { kind } : undefined;
}
