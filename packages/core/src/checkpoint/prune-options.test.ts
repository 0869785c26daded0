import { describe, expect, it } from 'vitest';
import { CheckpointStoreError } from '../errors/errors.js';
import { parsePruneOptions, pruneOptionsSchema, strictPruneOptionsSchema } from './prune-options.js';

describe('prune options', () => {
  it('defaults to finished runs and takes one status or several', () => {
    expect(parsePruneOptions({ keepLast: 3 })).toEqual({
      keepLast: 3,
      status: ['succeeded', 'failed', 'cancelled', 'timed_out'],
    });
    const cutoff = new Date(0);
    expect(parsePruneOptions({ olderThan: cutoff, status: 'running' })).toEqual({
      olderThan: cutoff,
      status: ['running'],
    });
    expect(parsePruneOptions({ olderThan: 1_000, status: ['failed', 'cancelled'] })).toEqual({
      olderThan: 1_000,
      status: ['failed', 'cancelled'],
    });
  });

  it('requires olderThan or keepLast, so pruning everything is an explicit choice', () => {
    expect(() => parsePruneOptions({})).toThrow(CheckpointStoreError);
    expect(() => parsePruneOptions({})).toThrow(/Invalid prune options \{\}: \(options\): give olderThan or keepLast/);
    expect(parsePruneOptions({ keepLast: 0 }).keepLast).toBe(0);
  });

  it('names each offending option', () => {
    const bad = { olderThan: -1, keepLast: 1.5, status: 'done' } as never;
    expect(() => parsePruneOptions(bad)).toThrow(/olderThan: .*; keepLast: .*; status: /);
    try {
      parsePruneOptions(bad);
    } catch (error) {
      expect((error as CheckpointStoreError).code).toBe('BATON_CHECKPOINT_STORE');
      expect((error as CheckpointStoreError).cause).toBeDefined();
    }
  });

  it('drops unknown keys, unless strict', () => {
    const misspelt = { keepLast: 1, olderThen: 5 } as never;
    expect(pruneOptionsSchema.parse(misspelt)).not.toHaveProperty('olderThen');
    expect(parsePruneOptions(misspelt)).toEqual({
      keepLast: 1,
      status: ['succeeded', 'failed', 'cancelled', 'timed_out'],
    });
    expect(strictPruneOptionsSchema.safeParse(misspelt).success).toBe(false);
    expect(() => parsePruneOptions(misspelt, { strict: true })).toThrow(/olderThen/);
  });
});
