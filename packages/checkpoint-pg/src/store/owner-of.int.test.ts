import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, pgTestUrl, realStore, uniqueSchema } from '../testing/pg-test-env.js';
import { startedRecord } from '../testing/records.js';
import type { PostgresCheckpointStore } from './pg-checkpoint-store.js';

const url = pgTestUrl();

if (url) {
  describe('ownerOf on the real PostgreSQL server', () => {
    const schema = uniqueSchema('owner_of');
    const stores: PostgresCheckpointStore[] = [];
    const open = async (owner: string) => {
      const store = await realStore(url, schema, { owner });
      stores.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(stores.map((store) => store.close()));
      await dropSchema(url, schema);
    });

    it('is undefined for a run never leased, alive while leased, and undefined again once released', async () => {
      const store = await open('worker-a');
      const reader = await open('reader');
      const runId = uniqueRunId('owned');
      await store.append(startedRecord(runId, 1));
      expect(await reader.ownerOf(runId)).toBeUndefined();
      const before = Date.now();
      const lease = await store.acquire(runId);
      const owner = await reader.ownerOf(runId);
      expect(owner).toMatchObject({ alive: true });
      expect(owner?.description).toMatch(/^leased by 'worker-a' until \d{4}-\d\d-\d\dT.*Z$/);
      // `since` is the server's acquired_at: close to this process's clock on one machine.
      expect(Math.abs((owner?.since ?? 0) - before)).toBeLessThan(60_000);
      await lease.release();
      expect(await reader.ownerOf(runId)).toBeUndefined();
    });

    it('reports a lease that expired unrenewed as gone, and another worker can then take the run', async () => {
      const store = await open('worker-b');
      const reader = await open('reader-2');
      const runId = uniqueRunId('expired');
      await store.append(startedRecord(runId, 1));
      await store.acquire(runId);
      // A dead worker's lease: expiry on the server clock, set directly instead of waiting out the TTL.
      const [row] = await adminQuery<{ expires_at: Date }>(
        url,
        `UPDATE "${schema}".leases SET expires_at = now() - interval '1 second' WHERE run_id = $1 RETURNING expires_at`,
        [runId],
      );
      const owner = await reader.ownerOf(runId);
      expect(owner).toMatchObject({ alive: false });
      expect(owner?.description).toBe(`lease of 'worker-b' expired at ${row!.expires_at.toISOString()}, not renewed`);
      const takeover = await reader.acquire(runId);
      expect(await store.ownerOf(runId)).toMatchObject({
        alive: true,
        description: expect.stringContaining("'reader-2'"),
      });
      await takeover.release();
    });

    it('rejects an invalid run id like the other store calls', async () => {
      const store = await open('worker-c');
      await expect(store.ownerOf('../x')).rejects.toMatchObject({ code: 'BATON_INVALID_RUN_ID' });
    });
  });
}
