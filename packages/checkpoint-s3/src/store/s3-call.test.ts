import { CheckpointStoreError, resolveRetryPolicy } from '@baton/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { s3Error } from '../testing/memory-object-client.js';
import { classifyS3Error, S3Caller } from './s3-call.js';

const policy = resolveRetryPolicy({
  maxAttempts: 4,
  initialDelayMs: 100,
  backoffFactor: 2,
  maxDelayMs: 1_000,
  jitter: 'none',
});

function caller(): S3Caller {
  return new S3Caller({ bucket: 'bkt', prefix: 'pre/', retry: policy });
}

/** A function failing with `errors` in turn, then returning 'ok'. */
function failing(...errors: unknown[]): { fn: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    fn: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'ok';
    },
    calls: () => calls,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('S3Caller', () => {
  it('retries 5xx, throttling and network errors with core backoff (100, 200, 400 ms)', async () => {
    vi.useFakeTimers();
    const network = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { fn, calls } = failing(s3Error('InternalError', 500), s3Error('SlowDown', 503), network);
    const result = caller().call('GetObject', 'k', fn);
    await vi.advanceTimersByTimeAsync(99 + 200 + 400);
    expect(calls()).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');
    expect(calls()).toBe(4);
  });

  it('gives up after maxAttempts with a retryable CheckpointStoreError', async () => {
    const quick = new S3Caller({
      bucket: 'bkt',
      prefix: 'pre/',
      retry: resolveRetryPolicy({ maxAttempts: 2, initialDelayMs: 0 }),
    });
    const { fn } = failing(s3Error('InternalError', 500), s3Error('InternalError', 500));
    const error = await quick.call('PutObject', 'pre/k', fn).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckpointStoreError);
    expect(error).toMatchObject({
      kind: 'retryable',
      message: 'S3 PutObject of s3://bkt/pre/k failed after 2 attempts (InternalError 500): InternalError (500)',
    });
  });

  it('does not retry access errors and names bucket and prefix', async () => {
    const { fn, calls } = failing(s3Error('AccessDenied', 403));
    await expect(caller().call('ListObjectsV2', 'pre/runs/', fn)).rejects.toThrow(
      "S3 ListObjectsV2 of s3://bkt/pre/runs/ was denied (AccessDenied): check the credentials and that they may read, write, list and delete in bucket 'bkt' (prefix 'pre/')",
    );
    expect(calls()).toBe(1);
  });

  it('explains a missing bucket', async () => {
    const { fn } = failing(s3Error('NoSuchBucket', 404));
    await expect(caller().call('GetObject', 'pre/x', fn)).rejects.toMatchObject({
      kind: 'fatal',
      message: "S3 GetObject of s3://bkt/pre/x failed: bucket 'bkt' (prefix 'pre/') does not exist",
    });
  });

  it('treats unknown errors (bugs) as fatal', async () => {
    const { fn, calls } = failing(new TypeError('x is undefined'));
    await expect(caller().call('GetObject', 'k', fn)).rejects.toMatchObject({ kind: 'fatal' });
    expect(calls()).toBe(1);
  });

  it('classifies S3 error names', () => {
    expect(classifyS3Error(s3Error('SlowDown', 503))).toEqual({ kind: 'rate_limited' });
    expect(classifyS3Error(s3Error('ConditionalRequestConflict', 409))).toEqual({ kind: 'retryable' });
    expect(classifyS3Error(s3Error('AccessDenied', 403))).toBeUndefined();
    expect(classifyS3Error(Object.assign(new Error('DeleteObjects failed'), { code: 'SlowDown' }))).toEqual({
      kind: 'rate_limited',
    });
  });
});
