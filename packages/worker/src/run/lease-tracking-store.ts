import type { CheckpointStore, RunLease } from '@baton/core';

/**
 * The worker's store seen through its leases: the same store, but `acquire` remembers each lease so `handBack()` can
 * release them. A released lease refuses the run's next append, so the run stops without writing anything more and
 * its job goes back to the queue for another worker.
 */
export function leaseTrackingStore(store: CheckpointStore): { store: CheckpointStore; handBack(): Promise<void> } {
  const leases = new Set<RunLease>();
  const acquire = store.acquire?.bind(store);
  const trackedAcquire = acquire
    ? async (runId: string): Promise<RunLease> => {
        const lease = await acquire(runId);
        leases.add(lease);
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
  // A proxy, not a subclass: methods run on the store itself (private fields and all).
  const tracked = new Proxy(store, {
    get(target, property) {
      if (property === 'acquire') return trackedAcquire;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    store: tracked,
    handBack: async () => {
      await Promise.all([...leases].map((lease) => lease.release()));
      leases.clear();
    },
  };
}
