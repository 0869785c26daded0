import { describe, expect, it } from 'vitest';
import { APICallError, InvalidPromptError, JSONParseError, LoadAPIKeyError, RetryError } from 'ai';
import { classifyError } from '@baton/core';
import { classifyAiSdkError } from './classify-ai-sdk-error.js';
import { apiCallError } from './test-models.js';

describe('classifyAiSdkError', () => {
  it('treats a 429 APICallError as rate limited with the retry-after header wait', () => {
    expect(classifyAiSdkError(apiCallError(429, { 'retry-after': '3' }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 3000,
    });
    expect(classifyAiSdkError(apiCallError(429, { 'retry-after-ms': '250' }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 250,
    });
    expect(classifyAiSdkError(apiCallError(429))).toEqual({ kind: 'rate_limited' });
  });

  it('follows the SDK isRetryable for other statuses', () => {
    expect(classifyAiSdkError(apiCallError(400))).toEqual({ kind: 'fatal' });
    expect(classifyAiSdkError(apiCallError(401))).toEqual({ kind: 'fatal' });
    expect(classifyAiSdkError(apiCallError(503))).toEqual({ kind: 'retryable' });
    expect(classifyAiSdkError(apiCallError(503, { 'retry-after': '1' }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 1000,
    });
    expect(classifyAiSdkError(apiCallError(408))).toEqual({ kind: 'timeout' });
    const overloaded = new APICallError({
      message: 'overloaded',
      url: 'u',
      requestBodyValues: {},
      statusCode: 400,
      isRetryable: true,
    });
    expect(classifyAiSdkError(overloaded)).toEqual({ kind: 'retryable' });
  });

  it('treats context-length errors as fatal, even when marked retryable', () => {
    const body = JSON.stringify({ error: { code: 'context_length_exceeded', message: 'too long' } });
    const tooLong = new APICallError({
      message: 'too long',
      url: 'u',
      requestBodyValues: {},
      statusCode: 500,
      responseBody: body,
    });
    expect(classifyAiSdkError(tooLong)).toEqual({ kind: 'fatal' });
    const parsed = new APICallError({
      message: 'too long',
      url: 'u',
      requestBodyValues: {},
      statusCode: 400,
      data: { error: { code: 'context_length_exceeded' } },
    });
    expect(classifyAiSdkError(parsed)).toEqual({ kind: 'fatal' });
  });

  it('classifies a RetryError by its last error', () => {
    const last = apiCallError(429, { 'retry-after': '5' });
    const exhausted = new RetryError({
      message: 'gave up',
      reason: 'maxRetriesExceeded',
      errors: [apiCallError(500), last],
    });
    expect(classifyAiSdkError(exhausted)).toEqual({ kind: 'rate_limited', retryAfterMs: 5000 });
  });

  it('maps configuration errors to fatal and bad responses to retryable', () => {
    expect(classifyAiSdkError(new LoadAPIKeyError({ message: 'no key' }))).toEqual({ kind: 'fatal' });
    expect(classifyAiSdkError(new InvalidPromptError({ prompt: '', message: 'empty' }))).toEqual({ kind: 'fatal' });
    expect(classifyAiSdkError(new JSONParseError({ text: '{', cause: new Error('eof') }))).toEqual({
      kind: 'retryable',
    });
  });

  it('looks through causes and defers what it does not know to core', () => {
    expect(classifyAiSdkError(new Error('wrapped', { cause: apiCallError(429) }))).toEqual({ kind: 'rate_limited' });
    const plain = new Error('boom');
    expect(classifyAiSdkError(plain)).toBeUndefined();
    expect(
      classifyError(Object.assign(new Error('x'), { code: 'ECONNRESET' }), { classifiers: [classifyAiSdkError] }),
    ).toEqual({ kind: 'retryable' });
  });
});
