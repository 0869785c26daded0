import { describe, expect, it } from 'vitest';
import { classifyPgError, PostgresStoreError, RecordNotSerializableError, sqlStateOf } from './pg-errors.js';

const serverError = (code: string, message = 'server said no') => Object.assign(new Error(message), { code });

describe('classifyPgError', () => {
  const cases: [string, unknown, string, boolean][] = [
    ['connection failure (08006)', serverError('08006'), 'BATON_PG_CONNECTION', true],
    ['admin shutdown (57P01)', serverError('57P01'), 'BATON_PG_CONNECTION', true],
    ['cannot connect now (57P03)', serverError('57P03'), 'BATON_PG_CONNECTION', true],
    ['serialization failure (40001)', serverError('40001'), 'BATON_PG_TRANSIENT', true],
    ['deadlock (40P01)', serverError('40P01'), 'BATON_PG_TRANSIENT', true],
    ['too many connections (53300)', serverError('53300'), 'BATON_PG_TRANSIENT', true],
    ['wrong password (28P01)', serverError('28P01'), 'BATON_PG_AUTH', false],
    ['unknown database (3D000)', serverError('3D000'), 'BATON_PG_AUTH', false],
    ['missing table (42P01)', serverError('42P01'), 'BATON_PG_NOT_MIGRATED', false],
    ['permission denied (42501)', serverError('42501'), 'BATON_PG_QUERY', false],
    ['unique violation (23505)', serverError('23505'), 'BATON_PG_QUERY', false],
    ['refused socket', serverError('ECONNREFUSED'), 'BATON_PG_CONNECTION', true],
    ['reset socket', serverError('ECONNRESET'), 'BATON_PG_CONNECTION', true],
    ['unknown host (a misconfiguration)', serverError('ENOTFOUND'), 'BATON_PG_QUERY', false],
    ['dropped connection', new Error('Connection terminated unexpectedly'), 'BATON_PG_CONNECTION', true],
    ['pool timeout', new Error('timeout exceeded when trying to connect'), 'BATON_PG_CONNECTION', true],
    ['a bug', new TypeError('x is not a function'), 'BATON_PG_QUERY', false],
    ['a string thrown', 'weird', 'BATON_PG_QUERY', false],
  ];
  for (const [what, error, code, retryable] of cases) {
    it(`${what} → ${code}, ${retryable ? 'retryable' : 'fatal'}`, () => {
      expect(classifyPgError(error)).toEqual({ code, retryable });
    });
  }

  it('reads a SQLSTATE only from five-character codes', () => {
    expect(sqlStateOf(serverError('23505'))).toBe('23505');
    expect(sqlStateOf(serverError('ECONNREFUSED'))).toBeUndefined();
    expect(sqlStateOf(null)).toBeUndefined();
  });
});

describe('PostgresStoreError', () => {
  it('names the operation, target, attempts and SQLSTATE, keeps the cause and sets kind', () => {
    const cause = serverError('40P01', 'deadlock detected');
    const error = new PostgresStoreError('append', 'h:5432/db schema "baton"', cause, 5);
    expect(error.message).toBe(
      'PostgreSQL append on h:5432/db schema "baton" failed after 5 attempts [40P01]: deadlock detected',
    );
    expect(error).toMatchObject({
      code: 'BATON_PG_TRANSIENT',
      retryable: true,
      kind: 'retryable',
      sqlState: '40P01',
      operation: 'append',
      name: 'PostgresStoreError',
    });
    expect(error.cause).toBe(cause);
  });

  it('tells the user to migrate when the tables are missing', () => {
    const error = new PostgresStoreError('read', 't', serverError('42P01', 'relation "baton.records" does not exist'));
    expect(error.message).toBe(
      'PostgreSQL read on t failed [42P01]: relation "baton.records" does not exist (call `await store.migrate()` once before use)',
    );
    expect(error).toMatchObject({ code: 'BATON_PG_NOT_MIGRATED', kind: 'fatal', retryable: false });
  });
});

describe('RecordNotSerializableError', () => {
  it('names the run, the seq and why, with a stable code', () => {
    const cause = new TypeError('Do not know how to serialize a BigInt');
    const error = new RecordNotSerializableError('r1', 3, cause);
    expect(error.message).toBe(
      "Cannot append record 3 of run 'r1': it is not JSON-serializable (Do not know how to serialize a BigInt)",
    );
    expect(error).toMatchObject({ code: 'BATON_CHECKPOINT_NOT_SERIALIZABLE', runId: 'r1', seq: 3, kind: 'fatal' });
    expect(error.cause).toBe(cause);
  });
});
