import { describe, expect, it } from 'vitest';
import { classifyError } from '@baton/core';
import { ContextOverflowError, ModelAbortError, stampRetryable } from '@langchain/core/errors';
import { classifyLangChainError } from './classify-langchain-error.js';

const httpError = (status: number, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(`HTTP ${status}`), { status, ...fields });

describe('classifyLangChainError', () => {
  it('treats a 429 as rate limited with the Retry-After wait (Headers or plain object)', () => {
    expect(classifyLangChainError(httpError(429, { headers: new Headers({ 'retry-after': '7' }) }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 7000,
    });
    expect(classifyLangChainError(httpError(429, { headers: { 'retry-after-ms': '1500' } }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 1500,
    });
    expect(classifyLangChainError(httpError(429))).toEqual({ kind: 'rate_limited' });
  });

  it('treats LangChain MODEL_RATE_LIMIT without a status as rate limited', () => {
    expect(
      classifyLangChainError(Object.assign(new Error('slow down'), { lc_error_code: 'MODEL_RATE_LIMIT' })),
    ).toEqual({ kind: 'rate_limited' });
  });

  it('treats context overflow as fatal whatever the status', () => {
    expect(classifyLangChainError(new ContextOverflowError('too long'))).toEqual({ kind: 'fatal' });
    expect(classifyLangChainError(httpError(500, { code: 'context_length_exceeded' }))).toEqual({ kind: 'fatal' });
    expect(classifyLangChainError(httpError(400, { error: { code: 'context_length_exceeded' } }))).toEqual({
      kind: 'fatal',
    });
  });

  it('treats aborted model calls as cancelled', () => {
    expect(classifyLangChainError(new ModelAbortError('aborted'))).toEqual({ kind: 'cancelled' });
  });

  it('maps LangChain error codes and names', () => {
    expect(classifyLangChainError(Object.assign(new Error('x'), { lc_error_code: 'MODEL_AUTHENTICATION' }))).toEqual({
      kind: 'fatal',
    });
    expect(classifyLangChainError(Object.assign(new Error('x'), { lc_error_code: 'OUTPUT_PARSING_FAILURE' }))).toEqual({
      kind: 'retryable',
    });
    expect(classifyLangChainError(Object.assign(new Error('x'), { name: 'GraphRecursionError' }))).toEqual({
      kind: 'fatal',
    });
  });

  it('follows stampRetryable marks when there is no status', () => {
    expect(classifyLangChainError(stampRetryable(new Error('nope'), false))).toEqual({ kind: 'fatal' });
    expect(classifyLangChainError(stampRetryable(new Error('again'), true))).toEqual({ kind: 'retryable' });
  });

  it('looks through the cause chain', () => {
    const wrapped = new Error('tool failed', { cause: httpError(429, { headers: { 'retry-after': '2' } }) });
    expect(classifyLangChainError(wrapped)).toEqual({ kind: 'rate_limited', retryAfterMs: 2000 });
  });

  it('defers to core for what it does not know, and core then decides', () => {
    const badRequest = httpError(400);
    expect(classifyLangChainError(badRequest)).toBeUndefined();
    expect(classifyError(badRequest, { classifiers: [classifyLangChainError] })).toEqual({ kind: 'fatal' });
    expect(classifyLangChainError('a string')).toBeUndefined();
    expect(classifyLangChainError(null)).toBeUndefined();
  });
});
