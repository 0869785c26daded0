import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  CircuitOpenError,
  FatalError,
  RateLimitedError,
  RetryableError,
  StepTimeoutError,
} from '../errors/errors.js';
import { classifyError, throughCauses } from './classify-error.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const classify = (error: unknown, options = {}) => classifyError(error, { now: () => NOW, ...options });
const http = (status: number, headers?: unknown) =>
  Object.assign(new Error(`HTTP ${status}`), { status, ...(headers ? { headers } : {}) });

describe('classifyError', () => {
  it('uses the kind carried by Baton errors', () => {
    expect(classify(new RetryableError('x'))).toEqual({ kind: 'retryable' });
    expect(classify(new FatalError('x'))).toEqual({ kind: 'fatal' });
    expect(classify(new RateLimitedError('x', { retryAfterMs: 1500 }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 1500,
    });
    expect(classify(new StepTimeoutError('s', 10))).toEqual({ kind: 'timeout' });
    expect(classify(new CancelledError('x'))).toEqual({ kind: 'cancelled' });
    expect(classify(new CircuitOpenError('agent', 700))).toEqual({ kind: 'retryable', retryAfterMs: 700 });
  });

  it('never retries aborts', () => {
    expect(classify(new DOMException('aborted', 'AbortError'))).toEqual({ kind: 'cancelled' });
    expect(classify(Object.assign(new Error('x'), { code: 'ABORT_ERR' }))).toEqual({ kind: 'cancelled' });
    expect(classify(new DOMException('t', 'TimeoutError'))).toEqual({ kind: 'timeout' });
  });

  it('maps HTTP statuses from status, statusCode, response.status and $metadata', () => {
    expect(classify(http(429))).toEqual({ kind: 'rate_limited' });
    expect(classify(http(408))).toEqual({ kind: 'timeout' });
    expect(classify(http(425))).toEqual({ kind: 'retryable' });
    expect(classify(http(500))).toEqual({ kind: 'retryable' });
    expect(classify(http(503))).toEqual({ kind: 'retryable' });
    expect(classify(http(400))).toEqual({ kind: 'fatal' });
    expect(classify(http(401))).toEqual({ kind: 'fatal' });
    expect(classify(http(404))).toEqual({ kind: 'fatal' });
    expect(classify({ statusCode: 502 })).toEqual({ kind: 'retryable' });
    expect(classify({ response: { status: 403 } })).toEqual({ kind: 'fatal' });
    expect(classify({ $metadata: { httpStatusCode: 503 } })).toEqual({ kind: 'retryable' });
  });

  it('reads Retry-After in seconds or as an HTTP date, retry-after-ms, and x-ratelimit-reset-*', () => {
    expect(classify(http(429, { 'Retry-After': '3' }))).toEqual({ kind: 'rate_limited', retryAfterMs: 3000 });
    expect(classify(http(429, { 'retry-after': new Date(NOW + 5000).toUTCString() }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 5000,
    });
    expect(classify(http(429, { 'retry-after-ms': '250', 'retry-after': '9' }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 250,
    });
    expect(classify(http(429, new Headers({ 'x-ratelimit-reset-requests': '1m30s' })))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 90_000,
    });
    expect(classify(http(429, { 'x-ratelimit-reset-tokens': '450ms' }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 450,
    });
    expect(classify({ status: 503, response: { headers: { 'retry-after': '2' } } })).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 2000,
    });
    expect(classify(http(429, { 'retry-after': 'soon' }))).toEqual({ kind: 'rate_limited' });
  });

  it('treats Node network errors as retryable, also through cause', () => {
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNREFUSED', 'EPIPE']) {
      expect(classify(Object.assign(new Error('net'), { code }))).toEqual({ kind: 'retryable' });
    }
    expect(
      classify(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })),
    ).toEqual({ kind: 'retryable' });
  });

  it('never looks at messages, and falls back to the configured default', () => {
    expect(classify(new Error('rate limit exceeded 429'))).toEqual({ kind: 'retryable' });
    expect(classify(new Error('timeout'), { unknownKind: 'fatal' })).toEqual({ kind: 'fatal' });
    expect(classify('a string')).toEqual({ kind: 'retryable' });
  });

  it('asks custom classifiers first, in order, and skips those returning undefined', () => {
    const calls: string[] = [];
    const result = classify(http(500), {
      classifiers: [
        () => (calls.push('first'), undefined),
        () => (calls.push('second'), { kind: 'fatal' as const }),
        () => (calls.push('third'), { kind: 'retryable' as const }),
      ],
    });
    expect(result).toEqual({ kind: 'fatal' });
    expect(calls).toEqual(['first', 'second']);
  });

  it('throughCauses tries a classifier along the cause chain, bounded in depth and safe on self-causes', () => {
    const marked = Object.assign(new Error('inner'), { marker: true });
    const classifier = throughCauses(
      (error) => ((error as { marker?: boolean }).marker ? { kind: 'fatal' as const } : undefined),
      3,
    );
    expect(classifier(new Error('a', { cause: new Error('b', { cause: marked }) }))).toEqual({ kind: 'fatal' });
    expect(
      classifier(new Error('a', { cause: new Error('b', { cause: new Error('c', { cause: marked }) }) })),
    ).toBeUndefined();
    const loop = new Error('loop');
    (loop as { cause?: unknown }).cause = loop;
    expect(classifier(loop)).toBeUndefined();
    expect(classifier('not an object')).toBeUndefined();
  });
});
