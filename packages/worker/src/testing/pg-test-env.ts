import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { pgOptionsFromEnv } from '@baton/checkpoint-pg';

const HOW =
  'start the server with `bash scripts/pg-up.sh` (it writes .pg/env, read by these tests) or export BATON_PG_URL';

/** True under CI, where a missing service must fail the run rather than skip. */
const inCi = (): boolean => ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

/**
 * The real PostgreSQL server's URL from BATON_PG_URL (vitest.shared.ts fills it from the repo's `.pg/env`).
 * Without it the int tests fail under CI (CI=true) and are skipped, with a message, elsewhere.
 */
export function pgTestUrl(): string | undefined {
  const options = pgOptionsFromEnv();
  if (options) return options.connectionString;
  if (inCi()) {
    describe('PostgreSQL integration server', () => {
      it('is configured through BATON_PG_URL (required under CI)', () => {
        throw new Error(`BATON_PG_URL is not set and there is no .pg/env: ${HOW}`);
      });
    });
  } else {
    console.warn(
      `[worker] skipping PostgreSQL integration tests: BATON_PG_URL is not set and there is no .pg/env; ${HOW}`,
    );
    describe.skip(`PostgreSQL integration tests (no BATON_PG_URL and no .pg/env; ${HOW})`, () => {
      it('needs a real PostgreSQL server', () => {});
    });
  }
  return undefined;
}

/** A fresh schema name per test file, so files running in parallel never see each other's rows. */
export function uniqueSchema(label: string): string {
  return `t_${label}_${randomUUID().replaceAll('-', '').slice(0, 12)}`.toLowerCase();
}

/** Runs one statement on the real server outside any store (tampering, inspection, cleanup). */
export async function adminQuery<Row extends object = Record<string, unknown>>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  await adminQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
