import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import type { CheckpointRecord } from '../checkpoint/types.js';
import { FatalError, OutputNotStorableError } from '../errors/errors.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { Agent } from '../workflow/types.js';
import { assertStorable, formatJsonPath, MAX_OUTPUT_DEPTH } from './serialize.js';
import { createSupervisor } from './supervisor.js';

const MAX = 8 * 1024 * 1024;

/** The error `assertStorable` throws for `value`, or undefined when it accepts it. */
function refusal(value: unknown, maxBytes = MAX): OutputNotStorableError | undefined {
  try {
    assertStorable('s', value, maxBytes);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(OutputNotStorableError);
    return error as OutputNotStorableError;
  }
}

/** What a store that keeps JSON gives back (a sentinel when JSON cannot hold the value at all). */
function jsonRoundTrip(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return Symbol.for('not JSON');
  }
}

class Point {
  constructor(readonly x: number) {}
}

function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let level = 1; level < levels; level++) node = (node.a = {}) as Record<string, unknown>;
  return root;
}

describe('assertStorable: values JSON would not give back unchanged are refused, naming their JSON path', () => {
  // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
  const sparse = [1, , 3];
  const cases: [string, unknown, string, RegExp][] = [
    [
      'a nested Date',
      { items: [0, 1, 2, { when: new Date(0) }] },
      '$.items[3].when',
      /is a Date \(JSON would store it as a string/,
    ],
    ['a Set', { tags: new Set(['a']) }, '$.tags', /is a Set/],
    ['a Map', { index: new Map([['a', 1]]) }, '$.index', /is a Map/],
    ['NaN', { score: Number.NaN }, '$.score', /is NaN \(JSON would store it as null\)/],
    ['Infinity in an array', { xs: [1, Number.POSITIVE_INFINITY] }, '$.xs[1]', /is Infinity/],
    ['-Infinity at the top', Number.NEGATIVE_INFINITY, '$', /is -Infinity/],
    [
      'undefined in an array',
      { list: [1, undefined] },
      '$.list[1]',
      /is undefined in an array \(JSON would store it as null\)/,
    ],
    ['a hole in a sparse array', { list: sparse }, '$.list[1]', /is a hole in a sparse array/],
    ['an undefined property', { a: 1, b: undefined }, '$.b', /is undefined \(JSON would drop the property/],
    ['a bigint', { big: 10n }, '$.big', /is a bigint 10n/],
    ['a function', { f: () => 1 }, '$.f', /is a function/],
    ['a symbol', [Symbol('x')], '$[0]', /is a symbol/],
    ['a class instance', { at: new Point(1) }, '$.at', /is an instance of Point/],
    ['a typed array', { bytes: new Uint8Array(2) }, '$.bytes', /is an instance of Uint8Array/],
    ['an array subclass', { list: class List extends Array {}.from([1]) }, '$.list', /is an instance of List/],
    ['a promise', { later: Promise.resolve(1) }, '$.later', /is a promise or thenable \(await it first/],
    ['an odd key', { 'odd key': { 'x-y': [Number.NaN] } }, '$["odd key"]["x-y"][0]', /is NaN/],
    ['a Date from another realm', vm.runInNewContext('({ a: [new Date(0)] })'), '$.a[0]', /is an instance of Date/],
  ];

  it.each(cases)('refuses %s', (_name, value, path, reason) => {
    const error = refusal(value);
    expect(error).toMatchObject({ code: 'BATON_OUTPUT_NOT_STORABLE', kind: 'fatal', stepId: 's', path });
    expect(error!.message).toMatch(
      new RegExp(`^Output of step 's' cannot be checkpointed: ${path.replace(/[$[\].]/g, '\\$&')} `),
    );
    expect(error!.message).toMatch(reason);
  });

  it('names the first bad value in key order', () => {
    expect(refusal({ a: [1, { b: new Set() }], c: Number.NaN })!.path).toBe('$.a[1].b');
  });

  it('refuses a cycle, naming where it closes', () => {
    const value: Record<string, any> = { a: { b: {} } };
    value.a.b.c = value.a;
    const error = refusal(value)!;
    expect(error.message).toBe(
      "Output of step 's' cannot be checkpointed: $.a.b.c is a circular reference (back to $.a)",
    );
    expect(error.path).toBe('$.a.b.c');
  });

  it(`accepts ${MAX_OUTPUT_DEPTH} levels of nesting and refuses one more`, () => {
    expect(refusal(nested(MAX_OUTPUT_DEPTH))).toBeUndefined();
    const error = refusal(nested(MAX_OUTPUT_DEPTH + 1))!;
    expect(error.message).toMatch(/is nested deeper than 1000 levels$/);
    expect(error.path).toBe(`$${'.a'.repeat(MAX_OUTPUT_DEPTH)}`);
  });

  it('wraps an error thrown by a getter, keeping it as the cause', () => {
    const boom = new Error('boom');
    const error = refusal({
      get x() {
        throw boom;
      },
    })!;
    expect(error.message).toBe("Output of step 's' cannot be checkpointed: reading it threw (boom)");
    expect(error.cause).toBe(boom);
  });

  it('accepts plain JSON data, which comes back from JSON strictly equal', () => {
    const shared = { k: [1, 2] };
    const values: unknown[] = [
      undefined,
      null,
      true,
      0,
      -1.5,
      1e300,
      '',
      'text ☃ \u0000 \ud800',
      [],
      {},
      [null, [[]], { a: [] }],
      { items: [{ n: 1, name: 'x', ok: false, next: null }], usage: { inputTokens: 3 } },
      { left: shared, right: shared }, // shared, not circular: stored twice
      vm.runInNewContext('({ a: [1, { b: "c" }] })'),
    ];
    for (const value of values) {
      expect(refusal(value)).toBeUndefined();
      // (vm objects have another realm's prototypes, so compare those loosely)
      if (value !== values.at(-1)) expect(jsonRoundTrip(value)).toStrictEqual(value);
      else expect(jsonRoundTrip(value)).toEqual(value);
    }
  });

  it('accepts -0 (stored as 0, which is === to it) and null-prototype objects (stored as plain objects)', () => {
    expect(refusal({ x: -0 })).toBeUndefined();
    const dictionary = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect(refusal({ dictionary })).toBeUndefined();
  });

  it('accepts exactly what JSON gives back strictly equal (seeded random values)', () => {
    let seed = 12;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const leaves = [
      0,
      1.5,
      -7,
      'a',
      '',
      true,
      false,
      null,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      undefined,
      3n,
      new Date(0),
      new Set(),
      new Map(),
      () => 1,
      new Point(2),
    ];
    const make = (depth: number): unknown => {
      const pick = random();
      if (depth > 3 || pick < 0.5) return leaves[Math.floor(random() * leaves.length)];
      const size = Math.floor(random() * 4);
      if (pick < 0.75) return Array.from({ length: size }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: size }, (_, index) => [`k${index}`, make(depth + 1)]));
    };
    let accepted = 0;
    for (let index = 0; index < 3000; index++) {
      const value = make(0);
      const storable = refusal(value) === undefined;
      let equal = true;
      try {
        expect(jsonRoundTrip(value)).toStrictEqual(value);
      } catch {
        equal = false;
      }
      expect({ value, storable }).toEqual({ value, storable: equal });
      if (storable) accepted++;
    }
    expect(accepted).toBeGreaterThan(300); // both sides of the rule were exercised
    expect(accepted).toBeLessThan(2700);
  });
});

describe('assertStorable: size', () => {
  it('refuses more than maxBytes of JSON, measured exactly', () => {
    const value = { s: 'é'.repeat(10) }; // {"s":"…"} = 8 bytes + 20 bytes of UTF-8
    expect(Buffer.byteLength(JSON.stringify(value))).toBe(28);
    expect(refusal(value, 28)).toBeUndefined();
    expect(refusal(value, 27)!.message).toBe(
      "Output of step 's' cannot be checkpointed: 28 bytes of JSON exceeds maxOutputBytes 27",
    );
  });

  it('stops early on shared references whose JSON would be huge', () => {
    let value: Record<string, unknown> = {};
    for (let level = 0; level < 60; level++) value = { left: value, right: value }; // 2^60 objects of JSON
    expect(refusal(value, 1000)!.message).toBe(
      "Output of step 's' cannot be checkpointed: more than 1000 bytes of JSON (over 500 objects and arrays) exceeds maxOutputBytes 1000",
    );
  });

  it('formats JSON paths', () => {
    expect(formatJsonPath([])).toBe('$');
    expect(formatJsonPath(['items', 3, 'when', 'a b', '$ok'])).toBe('$.items[3].when["a b"].$ok');
  });
});

/** A memory store that keeps each record as JSON, as the fs and S3 stores do. */
class JsonMemoryStore extends MemoryCheckpointStore {
  override append(record: CheckpointRecord): Promise<void> {
    return super.append(JSON.parse(JSON.stringify(record)) as CheckpointRecord);
  }
}

describe('supervisor: dependents see the same output live and after a resume', () => {
  it('fails a plain step returning a nested Date, at once and naming the path; its dependent never runs', async () => {
    let calls = 0;
    let dependentRan = false;
    const workflow = defineWorkflow({
      name: 'dates',
      version: '1',
      steps: {
        a: { run: () => (calls++, { items: [{ when: new Date(0) }] }), retry: { maxAttempts: 3, initialDelayMs: 0 } },
        b: {
          needs: ['a'],
          run: () => {
            dependentRan = true;
          },
        },
      },
    });
    const result = await createSupervisor().run(workflow);
    expect(result.status).toBe('failed');
    expect(result.failedStep).toBe('a');
    expect(result.error).toMatchObject({ code: 'BATON_OUTPUT_NOT_STORABLE' });
    expect(result.error!.message).toBe(
      "Output of step 'a' cannot be checkpointed: $.items[0].when is a Date (JSON would store it as a string; return date.toISOString())",
    );
    expect(calls).toBe(1);
    expect(dependentRan).toBe(false);
  });

  it('fails an agent step returning a Set in its output (the general path)', async () => {
    const agent: Agent = { id: 'tagger', invoke: async () => ({ tags: new Set(['x']) }) };
    const workflow = defineWorkflow({ name: 'sets', version: '1', steps: { a: { run: agent } } });
    const result = await createSupervisor().run(workflow);
    expect(result.status).toBe('failed');
    expect(result.error!.message).toMatch(/^Output of step 'a' cannot be checkpointed: \$\.tags is a Set /);
  });

  it('hands a dependent a storable output that equals, strictly, what it gets after a resume from JSON', async () => {
    const store = new JsonMemoryStore();
    const output = { n: [1, -2.5, 1e21], text: 'x\u2028y', nested: { empty: {}, list: [[null], { ok: true }] } };
    const seen: unknown[] = [];
    const workflow = defineWorkflow({
      name: 'same',
      version: '1',
      steps: {
        a: { run: () => output },
        b: {
          needs: ['a'],
          run: (input: unknown) => {
            seen.push(input);
            if (seen.length === 1) throw new FatalError('first run fails here');
            return 'done';
          },
        },
      },
    });
    const first = await createSupervisor({ store }).run(workflow, undefined, { runId: 'same-1' });
    expect(first.status).toBe('failed');
    const resumed = await createSupervisor({ store }).resume(workflow, 'same-1');
    expect(resumed.status).toBe('succeeded');
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]); // really restored from JSON
    expect(seen[1]).toStrictEqual(seen[0]);
  });
});
