import { describe, expect, it } from 'vitest';
import { ENGINES, type EngineName } from './engine.js';
import { expectedResult, stepsOf, type Shape } from './shapes.js';

// The comparison is only fair if every engine computes the same thing on the same graph.
const shapes: Shape[] = [
  { kind: 'chain', length: 30 },
  { kind: 'fanout', width: 12 },
  { kind: 'fanout', width: 3 },
];

describe.each(Object.keys(ENGINES) as EngineName[])('engine %s', (name) => {
  it.each(shapes)('runs %o to the expected result, repeatedly and after fresh()', async (shape) => {
    const { engine } = await ENGINES[name]();
    const runner = await engine.prepare(shape);
    await expect(runner.run(5)).resolves.toBe(expectedResult(shape, 5));
    runner.fresh?.();
    const results = await Promise.all([1, 2, 3].map((i) => runner.run(i)));
    expect(results).toEqual([1, 2, 3].map((i) => expectedResult(shape, i)));
  });

  it.each([false, true])('validates a small chain without error (full: %s)', async (full) => {
    const { engine } = await ENGINES[name]();
    for (const c of engine.validations?.(50, full) ?? []) {
      expect(c.steps).toBeGreaterThan(0);
      expect(() => c.op()).not.toThrow();
    }
  });
});

describe('shapes', () => {
  it('lists dependencies before dependents', () => {
    for (const shape of shapes) {
      const seen = new Set<string>();
      for (const step of stepsOf(shape)) {
        for (const need of step.needs) expect(seen.has(need)).toBe(true);
        seen.add(step.id);
      }
    }
  });
});
