import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, pgTestUrl, uniqueSchema } from '../testing/pg-test-env.js';
import { startedRecord } from '../testing/records.js';
import { SCHEMA_VERSION } from './migrations.js';
import { PostgresStoreError } from './pg-errors.js';
import { PostgresCheckpointStore } from './pg-checkpoint-store.js';

const url = pgTestUrl();

if (url) {
  describe('migrate() and error classification on the real PostgreSQL server', () => {
    const schemas: string[] = [];
    const stores: PostgresCheckpointStore[] = [];
    const open = (schema: string, options: { connectionString?: string; retry?: { maxAttempts: number } } = {}) => {
      const store = new PostgresCheckpointStore({ connectionString: url, schema, ...options });
      stores.push(store);
      return store;
    };
    const fresh = (label: string) => {
      const schema = uniqueSchema(label);
      schemas.push(schema);
      return schema;
    };
    afterAll(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      for (const schema of schemas) await dropSchema(url, schema);
    });

    it('applies each migration once: a second call is a no-op', async () => {
      const schema = fresh('migrate');
      const store = open(schema);
      expect(await store.migrate()).toEqual({ applied: [1, 2, 3, 4], version: SCHEMA_VERSION });
      expect(await store.migrate()).toEqual({ applied: [], version: SCHEMA_VERSION });
      const rows = await adminQuery(url, `SELECT version, name FROM "${schema}".migrations ORDER BY version`);
      expect(rows).toEqual([
        { version: 1, name: 'records and leases' },
        { version: 2, name: 'notify on append' },
        { version: 3, name: 'unlogged leases' },
        { version: 4, name: 'notify only while watched' },
      ]);
    });

    it('serializes concurrent migrate() calls from many stores: each migration applied once, all succeed', async () => {
      const schema = fresh('concurrent');
      const results = await Promise.all(Array.from({ length: 8 }, () => open(schema).migrate()));
      expect(results.flatMap((result) => result.applied).sort()).toEqual([1, 2, 3, 4]);
      expect(results.every((result) => result.version === SCHEMA_VERSION)).toBe(true);
      const store = open(schema);
      await store.append(startedRecord(uniqueRunId('after-migrate')));
    });

    it('says to call migrate() when the tables are missing (fatal, not retried)', async () => {
      const store = open(fresh('unmigrated'));
      const failure = store.read(uniqueRunId('x'));
      await expect(failure).rejects.toBeInstanceOf(PostgresStoreError);
      await expect(failure).rejects.toMatchObject({
        code: 'BATON_PG_NOT_MIGRATED',
        retryable: false,
        sqlState: '42P01',
      });
      await expect(failure).rejects.toThrow(/call `await store.migrate\(\)`/);
    });

    it('classifies a wrong password as fatal BATON_PG_AUTH, without the password in the message', async () => {
      const bad = new URL(url);
      bad.password = 'not-the-password';
      const store = open(fresh('auth'), { connectionString: bad.toString() });
      const failure = store.read(uniqueRunId('x'));
      await expect(failure).rejects.toMatchObject({ code: 'BATON_PG_AUTH', retryable: false, sqlState: '28P01' });
      const error = (await failure.catch((caught: unknown) => caught)) as PostgresStoreError;
      expect(error.message).not.toContain('not-the-password');
      expect(error.message).toContain(`${bad.hostname}:${bad.port}`);
      expect(error.cause).toMatchObject({ code: '28P01' });
    });

    it('classifies a server that is not there as retryable BATON_PG_CONNECTION, after retrying', async () => {
      const down = new URL(url);
      down.port = '9'; // discard: nothing listens on loopback
      const store = open(fresh('down'), { connectionString: down.toString(), retry: { maxAttempts: 2 } });
      const failure = store.read(uniqueRunId('x'));
      await expect(failure).rejects.toMatchObject({ code: 'BATON_PG_CONNECTION', retryable: true, kind: 'retryable' });
      await expect(failure).rejects.toThrow(/after 2 attempts/);
      expect(((await failure.catch((caught: unknown) => caught)) as Error).cause).toMatchObject({
        code: 'ECONNREFUSED',
      });
    });
  });
}
