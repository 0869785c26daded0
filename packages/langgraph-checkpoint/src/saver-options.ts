import type { CheckpointStore } from '@baton/core';
import { z } from 'zod';
import { LangGraphConfigError } from './errors.js';

const STORE_METHODS = ['append', 'read', 'listRuns', 'deleteRun'] as const;

const storeSchema = z.custom<CheckpointStore>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    STORE_METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
);

/** Checks that `store` is a Baton `CheckpointStore` (has `append`, `read`, `listRuns` and `deleteRun`). */
export function parseStore(store: unknown): CheckpointStore {
  const result = storeSchema.safeParse(store);
  if (result.success) return result.data;
  const shown =
    store === null || typeof store !== 'object' ? String(store) : `an object with keys ${Object.keys(store)}`;
  throw new LangGraphConfigError(
    'store',
    `BatonSaver needs a Baton CheckpointStore (with ${STORE_METHODS.join(', ')}), got ${shown}`,
    { cause: result.error },
  );
}
