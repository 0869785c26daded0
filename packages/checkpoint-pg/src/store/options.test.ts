import { CheckpointStoreError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { describeTarget, parseOptions } from './options.js';

const URL_ = 'postgres://baton:s3cret@db.example:6543/app';

describe('parseOptions', () => {
  it('fills in the defaults', () => {
    expect(parseOptions({ connectionString: URL_ })).toMatchObject({
      schema: 'baton',
      poolSize: 10,
      leaseTtlMs: 30_000,
    });
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['neither pool nor connectionString', {}, '(options): give exactly one of pool or connectionString'],
    [
      'both pool and connectionString',
      { connectionString: URL_, pool: { query: () => 0, connect: () => 0 } },
      '(options): give exactly one of pool or connectionString',
    ],
    ['a pool that is not one', { pool: {} }, 'pool: must be a pg.Pool'],
    [
      'a schema that needs quoting',
      { connectionString: URL_, schema: 'Baton-Prod' },
      'schema: must be lower-case letters, digits and "_", starting with a letter or "_"',
    ],
    [
      'a renewal not shorter than the lease',
      { connectionString: URL_, leaseTtlMs: 1000, leaseRenewIntervalMs: 1000 },
      'leaseRenewIntervalMs: must be below leaseTtlMs',
    ],
    ['an unknown option', { connectionString: URL_, bucket: 'x' }, 'Unrecognized key'],
  ];
  for (const [what, options, problem] of invalid) {
    it(`rejects ${what}`, () => {
      expect(() => parseOptions(options)).toThrow(CheckpointStoreError);
      expect(() => parseOptions(options)).toThrow(problem);
    });
  }

  it('never echoes the connection string (it holds the password)', () => {
    try {
      parseOptions({ connectionString: URL_, schema: 'BAD' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
    }
  });
});

describe('describeTarget', () => {
  it('keeps host, port, database and schema, and drops the credentials', () => {
    expect(describeTarget(URL_, 'baton')).toBe('db.example:6543/app schema "baton"');
    expect(describeTarget('postgres://u:p@h/db', 's')).toBe('h:5432/db schema "s"');
    expect(describeTarget(undefined, 's')).toBe(`schema "s" (caller's pool)`);
    expect(describeTarget('not a url', 's')).toBe('schema "s" (unparsable connection string)');
  });
});
