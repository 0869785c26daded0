import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointStore } from '@baton/core';
import { checkpointStoreConformance } from '@baton/core/testing/conformance';
import { FsCheckpointStore } from './fs-checkpoint-store.js';

for (const durability of ['fsync', 'none'] as const) {
  const dirs = new Map<CheckpointStore, string>();
  checkpointStoreConformance({
    name: `FsCheckpointStore (durability: '${durability}')`,
    async create() {
      const dir = await mkdtemp(join(tmpdir(), 'baton-fs-conformance-'));
      const store = new FsCheckpointStore({ dir, durability });
      dirs.set(store, dir);
      return store;
    },
    reopen(store) {
      const other = new FsCheckpointStore({ dir: (store as FsCheckpointStore).dir, durability });
      return other;
    },
    async destroy(store) {
      await store.close?.();
      const dir = dirs.get(store);
      dirs.delete(store);
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  });
}
