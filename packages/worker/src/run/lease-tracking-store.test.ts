import { MemoryCheckpointStore, type RunLease } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { leaseTrackingStore } from './lease-tracking-store.js';

/** A memory store with leases that count their releases. */
function leasingStore() {
  const released: string[] = [];
  const store = new MemoryCheckpointStore();
  const controller = new AbortController();
  Object.assign(store, {
    acquire: async (runId: string): Promise<RunLease> => ({
      signal: controller.signal,
      release: async () => void released.push(runId),
    }),
  });
  return { store, released, controller };
}

describe('leaseTrackingStore', () => {
  it('hands back every lease still held, once, and none released already', async () => {
    const { store, released } = leasingStore();
    const tracked = leaseTrackingStore(store);
    const first = await tracked.store.acquire!('a');
    await tracked.store.acquire!('b');
    await first.release();
    await tracked.handBack();
    await tracked.handBack();
    expect(released).toEqual(['a', 'b']);
  });

  it("passes the lease's signal and every other store method through", async () => {
    const { store, controller } = leasingStore();
    const tracked = leaseTrackingStore(store);
    const lease = await tracked.store.acquire!('a');
    controller.abort(new Error('lost'));
    expect(lease.signal?.aborted).toBe(true);
    expect(await tracked.store.read('nothing')).toEqual([]);
  });

  it('leaves a store without leases without acquire', () => {
    const store = { read: async () => [] } as unknown as MemoryCheckpointStore;
    expect(leaseTrackingStore(store).store.acquire).toBeUndefined();
  });
});
