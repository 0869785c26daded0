import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3CheckpointStore } from '@baton/checkpoint-s3';
import { CheckpointCorruptedError } from '@baton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { BatonSaver } from './baton-saver.js';
import { allVersions, checkpointWith, loopMetadata } from './testing/checkpoints.js';
import { s3TestEnv, uniquePrefix, wipePrefix } from './testing/s3-env.js';

const env = s3TestEnv();

if (env) {
  describe('a tampered thread on the S3 store', () => {
    const prefix = uniquePrefix('integrity');
    const client = new S3Client(env.clientConfig);
    const open = () => new S3CheckpointStore({ bucket: env.bucket, clientConfig: env.clientConfig, prefix });
    afterAll(async () => {
      client.destroy();
      await wipePrefix(env, prefix);
    });

    it('rejects an edited record object with CheckpointCorruptedError instead of returning it', async () => {
      const thread = { configurable: { thread_id: 'audit', checkpoint_ns: '' } };
      const writer = new BatonSaver(open());
      const checkpoint = checkpointWith({ plan: 'refund-100' });
      await writer.put(thread, checkpoint, loopMetadata(0), allVersions(checkpoint));
      await writer.store.close?.();
      const reader = new BatonSaver(open());
      expect((await reader.getTuple(thread))?.checkpoint.channel_values).toEqual({ plan: 'refund-100' });

      const Key = `${prefix}runs/lg.audit/records/000000000001.json`;
      const body = await (
        await client.send(new GetObjectCommand({ Bucket: env.bucket, Key }))
      ).Body!.transformToString();
      expect(body).toContain('refund-100');
      await client.send(
        new PutObjectCommand({ Bucket: env.bucket, Key, Body: body.replace('refund-100', 'refund-900') }),
      );

      const error = await new BatonSaver(open()).getTuple(thread).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CheckpointCorruptedError);
      expect(error).toMatchObject({ code: 'BATON_CHECKPOINT_CORRUPTED' });
      expect((error as Error).message).toContain('SHA-256 mismatch');
      await reader.store.close?.();
    });
  });
}
