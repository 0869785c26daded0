import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startedRecord } from '../testing/records.js';
import { realStore, s3TestEnv, uniquePrefix, wipePrefix } from '../testing/s3-test-env.js';
import type { S3CheckpointStore } from './s3-checkpoint-store.js';

const env = s3TestEnv();
const TTL_MS = 60_000;

if (env) {
  describe('ownerOf against the real S3 server', () => {
    const prefix = uniquePrefix('owner');
    const stores: S3CheckpointStore[] = [];
    const worker = (options: Parameters<typeof realStore>[2] = {}) => {
      const store = realStore(env, prefix, { leaseTtlMs: TTL_MS, ...options });
      stores.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(stores.map((store) => store.close()));
      await wipePrefix(env, prefix);
    });

    it('reads a live lease as alive, an expired one as gone and a released one as nobody', async () => {
      const runId = uniqueRunId('owner');
      const owner = worker({ owner: 'crashing-worker' });
      const lease = await owner.acquire(runId);
      await owner.append(startedRecord(runId));
      // The owner "crashes": it stops renewing and never releases (its lease object stays in the bucket).
      lease.abandon();
      expect(await worker().ownerOf(runId)).toMatchObject({
        alive: true,
        description: expect.stringContaining("leased by 'crashing-worker' until"),
      });
      // A reader whose clock is past the lease's expiry, instead of waiting out the TTL.
      const later = worker({ now: () => Date.now() + TTL_MS + 1 });
      expect(await later.ownerOf(runId)).toMatchObject({
        alive: false,
        description: expect.stringMatching(/^lease of 'crashing-worker' expired at .*, not renewed$/),
      });
      const taken = await later.acquire(runId);
      await taken.release();
      expect(await worker().ownerOf(runId)).toBeUndefined();
      expect(await worker().ownerOf(uniqueRunId('never'))).toBeUndefined();
    });
  });
}
