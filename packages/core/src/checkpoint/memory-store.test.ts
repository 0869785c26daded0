import { describe, expect, it } from 'vitest';
import { checkpointStoreConformance } from '../testing/conformance.js';
import { MemoryCheckpointStore } from './memory-store.js';

checkpointStoreConformance({ name: 'MemoryCheckpointStore', create: () => new MemoryCheckpointStore() });

describe('MemoryCheckpointStore.ownerOf', () => {
  it('reports the in-process owner while a run is acquired, and nobody once released', async () => {
    const store = new MemoryCheckpointStore();
    expect(await store.ownerOf('run-1')).toBeUndefined();
    const lease = await store.acquire('run-1');
    expect(await store.ownerOf('run-1')).toEqual({ alive: true, description: 'an execution in this process' });
    await lease.release();
    expect(await store.ownerOf('run-1')).toBeUndefined();
  });
});
