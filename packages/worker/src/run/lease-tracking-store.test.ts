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

  it('refuses the appends of a handed-back run with LeaseLostError, and only of that run', async () => {
    const { store } = leasingStore();
    const tracked = leaseTrackingStore(store);
    await tracked.store.acquire!('a');
    await tracked.handBack();
    const record = { v: 1, seq: 0, runId: 'a', type: 'run.started', at: 0 } as never;
    await expect(tracked.store.append(record)).rejects.toMatchObject({
      name: 'LeaseLostError',
      code: 'BATON_LEASE_LOST',
      message: "Lease on run 'a' lost: this worker handed the run back (stop({ drain: false }))",
    });
    const appended: unknown[] = [];
    Object.assign(store, { append: async (value: unknown) => void appended.push(value) });
    const other = { v: 1, seq: 0, runId: 'b', type: 'run.started', at: 0 } as never;
    await tracked.store.append(other);
    expect(appended).toEqual([other]);
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
