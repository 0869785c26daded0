import { type CheckpointRecord, type CheckpointStore, LeaseLostError, type RunLease } from '@baton/core';

/**
 * The worker's store seen through its leases: the same store, but `acquire` remembers each lease so `handBack()` can
 * give the runs up. A handed-back run's next append is refused with `LeaseLostError` (so it stops without writing
 * anything more, and its job goes back to the queue for another worker), then its lease is released so the next
 * worker need not wait for it to expire.
 */
export function leaseTrackingStore(store: CheckpointStore): { store: CheckpointStore; handBack(): Promise<void> } {
  const leases = new Map<RunLease, string>();
  const handedBack = new Set<string>();
  const acquire = store.acquire?.bind(store);
  const trackedAcquire = acquire
    ? async (runId: string): Promise<RunLease> => {
        const lease = await acquire(runId);
        handedBack.delete(runId);
        leases.set(lease, runId);
        return {
          get signal() {
            return lease.signal;
          },
          release: async () => {
            leases.delete(lease);
            await lease.release();
          },
        };
      }
    : undefined;
  const append = (record: CheckpointRecord): Promise<void> =>
    handedBack.has(record.runId)
      ? Promise.reject(new LeaseLostError(record.runId, 'this worker handed the run back (stop({ drain: false }))'))
      : store.append(record);
  // A proxy, not a subclass: methods run on the store itself (private fields and all).
  const tracked = new Proxy(store, {
    get(target, property) {
      if (property === 'acquire') return trackedAcquire;
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    store: tracked,
    handBack: async () => {
      const held = [...leases];
      for (const [, runId] of held) handedBack.add(runId);
      leases.clear();
      await Promise.all(held.map(([lease]) => lease.release()));
    },
  };
}
