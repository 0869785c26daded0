import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pgOptionsFromEnv } from '@baton/checkpoint-pg';
import pg from 'pg';
import { describe, it } from 'vitest';

const HOW =
  'start the server with `bash scripts/pg-up.sh` (it writes .pg/env, read by these tests) or export BATON_PG_URL';

/**
 * The real PostgreSQL server's URL (BATON_PG_URL; vitest.shared.ts fills it from the repo's `.pg/env`). Without one the pg tests fail
 * under CI (CI=true) and are skipped, with a message, elsewhere.
 */
export function pgTestUrl(): string | undefined {
  const options = pgOptionsFromEnv();
  if (options) return options.connectionString;
  if (['true', '1'].includes((process.env.CI ?? '').toLowerCase())) {
    describe('PostgreSQL integration server', () => {
      it('is configured through BATON_PG_URL (required under CI)', () => {
        throw new Error(`BATON_PG_URL is not set and there is no .pg/env: ${HOW}`);
      });
    });
  } else {
    console.warn(`[dashboard] skipping the PostgreSQL tests: BATON_PG_URL is not set and there is no .pg/env; ${HOW}`);
    describe.skip(`dashboard on PostgreSQL (no BATON_PG_URL and no .pg/env; ${HOW})`, () => {
      it('needs a real PostgreSQL server', () => {});
    });
  }
  return undefined;
}

/** Runs one statement outside any store. */
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

/** The server processes LISTENing on a store schema's channel. */
export async function listenerPids(url: string, schema: string): Promise<number[]> {
  const rows = await adminQuery<{ pid: number }>(
    url,
    "SELECT pid FROM pg_stat_activity WHERE query = $1 AND state = 'idle' AND pid <> pg_backend_pid()",
    [`LISTEN "baton.${schema}"`],
  );
  return rows.map((row) => row.pid);
}

/** Writes a two-record run from a separate Node process; resolves with the epoch ms its first record committed. */
export async function writeRunElsewhere(url: string, schema: string, runId: string): Promise<number> {
  const script = fileURLToPath(new URL('./write-run-pg.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script, url, schema, runId]);
  return Number(stdout.trim());
}
