import { describe, expect, it } from 'vitest';
import { planFloor, runFloor, validateFloor } from './floor.js';

describe('runFloor', () => {
  it('passes the run input to roots, one output to single-need steps, an object to fan-ins', async () => {
    const seen: Record<string, unknown> = {};
    const step = (id: string, needs: string[], out: unknown) => ({
      id,
      needs,
      run: async (input: unknown) => ((seen[id] = input), out),
    });
    const plan = planFloor([
      step('a', [], 'A'),
      step('b', ['a'], 'B'),
      step('c', ['a'], 'C'),
      step('d', ['b', 'c'], 'D'),
    ]);
    const outputs = await runFloor(plan, 'in');
    expect(seen).toEqual({ a: 'in', b: 'A', c: 'A', d: { b: 'B', c: 'C' } });
    expect(outputs).toEqual({ a: 'A', b: 'B', c: 'C', d: 'D' });
  });

  it('rejects with the first error, whether thrown or rejected', async () => {
    const boom = new Error('boom');
    const thrower = planFloor([
      {
        id: 'a',
        needs: [],
        run: () => {
          throw boom;
        },
      },
    ]);
    await expect(runFloor(thrower, 0)).rejects.toBe(boom);
    const rejecter = planFloor([
      { id: 'a', needs: [], run: async () => 1 },
      { id: 'b', needs: ['a'], run: () => Promise.reject(boom) },
    ]);
    await expect(runFloor(rejecter, 0)).rejects.toBe(boom);
  });

  it('resolves an empty plan to no outputs', async () => {
    await expect(runFloor(planFloor([]), 0)).resolves.toEqual({});
  });
});

describe('validateFloor', () => {
  it('accepts a long chain without recursion', () => {
    const steps = Array.from({ length: 100_000 }, (_, i) => ({ id: `s${i}`, needs: i ? [`s${i - 1}`] : [] }));
    expect(validateFloor(steps)).toEqual([]);
  });

  it('reports duplicates, unknown dependencies and cycles', () => {
    const errors = validateFloor([
      { id: 'a', needs: ['b'] },
      { id: 'b', needs: ['a'] },
      { id: 'a', needs: [] },
      { id: 'c', needs: ['nope'] },
    ]);
    expect(errors).toEqual(
      expect.arrayContaining([
        'duplicate step id a',
        'step c needs unknown step nope',
        expect.stringMatching(/^cycle among/),
      ]),
    );
  });
});
