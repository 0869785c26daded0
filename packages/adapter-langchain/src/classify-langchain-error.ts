import { httpStatusOf, retryAfterOf, type ErrorClassification, throughCauses } from '@baton/core';

// biome-ignore lint/suspicious/noExplicitAny: a duck-typed probe of a foreign error object
type Probe = Record<string | symbol, any>;

/** Codes LangChain puts on `lc_error_code` that no retry will fix. */
const FATAL_CODES = new Set([
  'CONTEXT_OVERFLOW',
  'INVALID_PROMPT_INPUT',
  'INVALID_TOOL_RESULTS',
  'MESSAGE_COERCION_FAILURE',
  'MODEL_AUTHENTICATION',
  'MODEL_NOT_FOUND',
]);
/** Error names (LangChain, LangGraph) that mean the same input will fail again. */
const FATAL_NAMES = new Set([
  'ContextOverflowError',
  'ModelRefusalError',
  'GraphRecursionError',
  'InvalidUpdateError',
  'EmptyInputError',
]);
/** Provider error codes for "the prompt does not fit the context window". */
const CONTEXT_LENGTH_CODES = new Set(['context_length_exceeded', 'string_above_max_length', 'context_window_exceeded']);
/** `stampRetryable` from `@langchain/core/errors` stores its verdict under this key. */
const RETRYABLE_MARK = Symbol.for('langchain.errors.retryable');
const MAX_CAUSE_DEPTH = 5;

/**
 * Classifies errors from LangChain and the provider SDKs it wraps, or returns
 * `undefined` to let core's rules decide (status codes, Retry-After headers,
 * network codes). Consulted before core's rules as the agent's `classifyError`.
 *
 * - an aborted model call (`ModelAbortError`, `MODEL_ABORTED`) is `cancelled`;
 * - context-window overflows are `fatal` whatever their status code;
 * - 429 and `MODEL_RATE_LIMIT` are `rate_limited`, with the wait from
 *   `retry-after-ms` / `Retry-After` / `x-ratelimit-reset-*` headers;
 * - authentication, unknown model, invalid prompt or tool results, refusals and
 *   LangGraph's recursion limit are `fatal`; output parsing failures `retryable`;
 * - an error marked with `stampRetryable` follows its mark.
 *
 * Wrapped errors are looked at through their `cause` chain.
 */
export function classifyLangChainError(error: unknown): ErrorClassification | undefined {
  return classifyChain(error);
}

const classifyChain = throughCauses((error) => classifyOne(error as Probe), MAX_CAUSE_DEPTH);

function classifyOne(error: Probe): ErrorClassification | undefined {
  const code = error.lc_error_code;
  if (error.name === 'ModelAbortError' || code === 'MODEL_ABORTED') return { kind: 'cancelled' };
  if (isContextOverflow(error)) return { kind: 'fatal' };
  const status = httpStatusOf(error);
  if (status === 429 || code === 'MODEL_RATE_LIMIT') return withRetryAfter('rate_limited', error);
  if (FATAL_CODES.has(code) || FATAL_NAMES.has(error.name)) return { kind: 'fatal' };
  if (code === 'OUTPUT_PARSING_FAILURE') return { kind: 'retryable' };
  const mark = Object.getOwnPropertyDescriptor(error, RETRYABLE_MARK)?.value;
  if (mark === false && status === undefined) return { kind: 'fatal' };
  if (mark === true && status === undefined) return withRetryAfter('retryable', error);
  return undefined;
}

/** LangChain's own class or code, or the provider's error code (OpenAI-style, top level or in the body). */
export function isContextOverflow(error: Probe): boolean {
  if (error.name === 'ContextOverflowError' || error.lc_error_code === 'CONTEXT_OVERFLOW') return true;
  const codes = [error.code, error.error?.code, error.error?.error?.code, error.body?.error?.code];
  return codes.some((code) => typeof code === 'string' && CONTEXT_LENGTH_CODES.has(code));
}

function withRetryAfter(kind: 'rate_limited' | 'retryable', error: Probe): ErrorClassification {
  const retryAfterMs = retryAfterOf(error);
  if (retryAfterMs === undefined) return { kind };
  return { kind: 'rate_limited', retryAfterMs };
}
