import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import type { CheckpointStore } from '@baton/core';
import { validateBatonSaver } from './testing/validation.js';

const dirs = new Map<CheckpointStore, string>();

validateBatonSaver({
  name: 'FsCheckpointStore',
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'baton-lg-validation-'));
    const store = new FsCheckpointStore({ dir });
    dirs.set(store, dir);
    return store;
  },
  async destroy(store) {
    await store.close?.();
    const dir = dirs.get(store);
    dirs.delete(store);
    if (dir) await rm(dir, { recursive: true, force: true });
  },
});
