import type { CheckpointStore } from '@baton/core';
import { deltaChannelHistoryTests, validate } from '@langchain/langgraph-checkpoint-validation';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BatonSaver } from '../baton-saver.js';

// The validation suite calls describe/it/expect as globals (it is written for Jest-like runners);
// handing it this vitest's functions keeps its tests in this run instead of a second vitest copy.
Object.assign(globalThis, { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it });

/** How a store under test is made and cleaned up. */
export interface StoreFixture {
  name: string;
  create(): CheckpointStore | Promise<CheckpointStore>;
  destroy?(store: CheckpointStore): void | Promise<void>;
}

/**
 * Runs all of `@langchain/langgraph-checkpoint-validation` against `BatonSaver`
 * over a fresh store per checkpointer: `validate()` (put, putWrites, getTuple,
 * list, deleteThread) plus its opt-in `getDeltaChannelHistory` spec.
 */
export function validateBatonSaver(fixture: StoreFixture): void {
  const stores = new Map<BatonSaver, CheckpointStore>();
  const initializer = {
    checkpointerName: `BatonSaver(${fixture.name})`,
    async createCheckpointer() {
      const store = await fixture.create();
      const saver = new BatonSaver(store);
      stores.set(saver, store);
      return saver;
    },
    async destroyCheckpointer(saver: BatonSaver) {
      const store = stores.get(saver);
      stores.delete(saver);
      if (store) await fixture.destroy?.(store);
    },
  };
  validate(initializer);
  deltaChannelHistoryTests(initializer);
}
