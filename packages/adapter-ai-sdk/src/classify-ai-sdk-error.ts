import { APICallError, RetryError } from 'ai';
import { classifyError, retryAfterOf, type ErrorClassification, throughCauses } from '@baton/core';

// biome-ignore lint/suspicious/noExplicitAny: a duck-typed probe of a foreign error object
type Probe = Record<string, any>;

/** AI SDK errors that the same call will hit again: bad arguments, prompts, keys, models, setup. */
const FATAL_NAMES = new Set([
  'AI_InvalidArgumentError',
  'AI_InvalidPromptError',
  'AI_InvalidMessageRoleError',
  'AI_MessageConversionError',
  'AI_InvalidDataContentError',
  'AI_NoSuchModelError',
  'AI_NoSuchProviderError',
  'AI_LoadAPIKeyError',
  'AI_LoadSettingError',
  'AI_UnsupportedFunctionalityError',
  'AI_UnsupportedModelVersionError',
  'AI_MissingToolResultsError',
  'AI_InvalidToolApprovalError',
  'AI_ToolCallNotFoundForApprovalError',
]);
/** AI SDK errors about one bad model response: another sample may well be fine. */
const RETRYABLE_NAMES = new Set([
  'AI_EmptyResponseBodyError',
  'AI_InvalidResponseDataError',
  'AI_JSONParseError',
  'AI_NoContentGeneratedError',
  'AI_NoObjectGeneratedError',
  'AI_NoSuchToolError',
  'AI_InvalidToolInputError',
  'AI_ToolCallRepairError',
  'AI_TypeValidationError',
  'AI_InvalidStreamPartError',
]);
const CONTEXT_LENGTH_CODES = new Set(['context_length_exceeded', 'string_above_max_length', 'context_window_exceeded']);
const MAX_CAUSE_DEPTH = 5;

/**
 * Classifies AI SDK errors, or returns `undefined` to let core's rules decide.
 * Consulted before core's rules as the agent's `classifyError`.
 *
 * - `APICallError`: context-window overflow is `fatal`; 429 is `rate_limited`
 *   with the wait from `retry-after-ms` / `Retry-After` / `x-ratelimit-reset-*`
 *   response headers; 408 is `timeout`; otherwise the SDK's own `isRetryable`
 *   decides between `retryable` and `fatal`;
 * - `RetryError` (the SDK's own retries ran out) is classified by its last error;
 * - configuration and prompt errors are `fatal`; malformed responses and bad
 *   tool calls are `retryable` (another sample may be fine).
 *
 * Wrapped errors are looked at through their `cause` chain.
 */
export function classifyAiSdkError(error: unknown): ErrorClassification | undefined {
  return classifyChain(error);
}

const classifyChain = throughCauses((error) => classifyOne(error as Probe), MAX_CAUSE_DEPTH);

function classifyOne(error: Probe): ErrorClassification | undefined {
  if (RetryError.isInstance(error)) {
    // Settle it here: core cannot see through `lastError`.
    return classifyError(error.lastError, { classifiers: [classifyAiSdkError] });
  }
  if (APICallError.isInstance(error)) return classifyApiCallError(error);
  if (FATAL_NAMES.has(error.name)) return { kind: 'fatal' };
  if (RETRYABLE_NAMES.has(error.name)) return { kind: 'retryable' };
  return undefined;
}

function classifyApiCallError(error: APICallError): ErrorClassification {
  if (isContextLengthError(error)) return { kind: 'fatal' };
  const retryAfterMs = retryAfterOf(error);
  const wait = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (error.statusCode === 429) return { kind: 'rate_limited', ...wait };
  if (error.statusCode === 408) return { kind: 'timeout', ...wait };
  if (!error.isRetryable) return { kind: 'fatal' };
  return retryAfterMs === undefined ? { kind: 'retryable' } : { kind: 'rate_limited', retryAfterMs };
}

/** The provider's error code for "prompt too long", from the parsed error body or the raw body. */
export function isContextLengthError(error: APICallError): boolean {
  const data = error.data as Probe | undefined;
  const codes: unknown[] = [data?.error?.code, data?.code, data?.error?.type];
  if (typeof error.responseBody === 'string' && error.responseBody.length < 100_000) {
    try {
      const body = JSON.parse(error.responseBody) as Probe;
      codes.push(body?.error?.code, body?.code);
    } catch {
      // not JSON: nothing more to learn
    }
  }
  return codes.some((code) => typeof code === 'string' && CONTEXT_LENGTH_CODES.has(code));
}
