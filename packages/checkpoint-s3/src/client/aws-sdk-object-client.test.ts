import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { s3Error } from '../testing/memory-object-client.js';
import { AwsSdkObjectClient } from './aws-sdk-object-client.js';

/** An S3Client stand-in that records commands and answers from `reply`. */
function fakeSdk(reply: (name: string, input: Record<string, unknown>) => unknown) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      sent.push({ name, input: command.input });
      const answer = reply(name, command.input);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as S3Client;
  return { client, sent };
}

describe('AwsSdkObjectClient', () => {
  it('sends If-None-Match: * and unquoted If-Match by default', async () => {
    const { client, sent } = fakeSdk(() => ({ ETag: '"new"' }));
    const objects = new AwsSdkObjectClient({ client, bucket: 'b' });
    await expect(objects.put({ key: 'k', body: '{}', ifNoneMatch: true })).resolves.toEqual({
      ok: true,
      etag: '"new"',
    });
    await objects.put({ key: 'k', body: '{}', ifMatch: '"abc"' });
    expect(sent.map((command) => [command.name, command.input.IfNoneMatch, command.input.IfMatch])).toEqual([
      ['PutObjectCommand', '*', undefined],
      ['PutObjectCommand', undefined, 'abc'],
    ]);
  });

  it('quotes If-Match when asked', async () => {
    const { client, sent } = fakeSdk(() => ({ ETag: '"new"' }));
    await new AwsSdkObjectClient({ client, bucket: 'b', quoteIfMatch: true }).put({
      key: 'k',
      body: '{}',
      ifMatch: 'abc',
    });
    expect(sent[0]!.input.IfMatch).toBe('"abc"');
  });

  it('maps 412, and 404 on If-Match, to a failed precondition', async () => {
    const { client } = fakeSdk((_, input) =>
      input.IfMatch ? s3Error('NoSuchKey', 404) : s3Error('PreconditionFailed', 412),
    );
    const objects = new AwsSdkObjectClient({ client, bucket: 'b' });
    await expect(objects.put({ key: 'k', body: '{}', ifNoneMatch: true })).resolves.toEqual({
      ok: false,
      reason: 'precondition_failed',
    });
    await expect(objects.put({ key: 'k', body: '{}', ifMatch: 'x' })).resolves.toEqual({
      ok: false,
      reason: 'precondition_failed',
    });
  });

  it('lets other errors through (the store classifies them)', async () => {
    const { client } = fakeSdk(() => s3Error('NoSuchBucket', 404));
    const objects = new AwsSdkObjectClient({ client, bucket: 'b' });
    await expect(objects.put({ key: 'k', body: '{}', ifMatch: 'x' })).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(objects.get('k')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('returns undefined for a missing key and the body for a present one', async () => {
    const { client } = fakeSdk((_, input) =>
      input.Key === 'missing'
        ? s3Error('NoSuchKey', 404)
        : { ETag: '"e"', Body: { transformToString: async () => '{"a":1}' } },
    );
    const objects = new AwsSdkObjectClient({ client, bucket: 'b' });
    await expect(objects.get('missing')).resolves.toBeUndefined();
    await expect(objects.get('k')).resolves.toEqual({ body: '{"a":1}', etag: '"e"' });
  });

  it('pages listings with continuation tokens', async () => {
    const { client, sent } = fakeSdk((_, input) =>
      input.ContinuationToken
        ? { Contents: [{ Key: 'c' }], IsTruncated: false }
        : { Contents: [{ Key: 'a' }, { Key: 'b' }], IsTruncated: true, NextContinuationToken: 't' },
    );
    const objects = new AwsSdkObjectClient({ client, bucket: 'b' });
    await expect(objects.list('p/')).resolves.toEqual({ keys: ['a', 'b'], nextToken: 't' });
    await expect(objects.list('p/', 't')).resolves.toEqual({ keys: ['c'] });
    expect(sent[1]!.input).toMatchObject({ Bucket: 'b', Prefix: 'p/', ContinuationToken: 't' });
  });

  it('throws when DeleteObjects reports per-key errors other than NoSuchKey', async () => {
    const { client } = fakeSdk(() => ({
      Errors: [
        { Key: 'k1', Code: 'NoSuchKey' },
        { Key: 'k2', Code: 'AccessDenied', Message: 'no' },
      ],
    }));
    const objects = new AwsSdkObjectClient({ client, bucket: 'b' });
    await expect(objects.deleteMany(['k1', 'k2'])).rejects.toThrow(
      'DeleteObjects failed for 1 key(s), first: k2 (AccessDenied: no)',
    );
  });
});
