/**
 * The PostgreSQL side of the durable benches: one `pg.Pool` per bench process, shared by every
 * variant (same server, same connection count), whose clients count the statements they send.
 */
import { BatonError } from '@baton/core';
import pg from 'pg';

/** Thrown when the server would not make commits durable (the numbers would be meaningless). Code `BENCH_PG_SETTINGS`. */
export class PgSettingsError extends BatonError {
  constructor(message: string, cause?: unknown) {
    super('BENCH_PG_SETTINGS', { message, cause });
  }
}

/** Statements sent by every client of pools made by `openCountingPool`, since the last `reset()`. */
export const statementCounter = {
  count: 0,
  /** Sets the count back to 0. */
  reset(): void {
    this.count = 0;
  },
};

/** A `pg.Client` that counts every `query` call (one round trip each, pg has no pipelining). */
class CountingClient extends pg.Client {
  override query(...args: any[]): any {
    statementCounter.count++;
    return (super.query as (...inner: any[]) => any)(...args);
  }
}

/** The durability settings a bench ran with, read back from the server. */
export interface PgDurability {
  fsync: string;
  synchronousCommit: string;
  walSync: string;
  serverVersion: string;
}

/**
 * A pool of `size` connections to `connectionString`, each session started with
 * `synchronous_commit=on`, whose statements are counted in `statementCounter`.
 */
export function openCountingPool(connectionString: string, size: number): pg.Pool {
  return new pg.Pool({
    connectionString,
    max: size,
    options: '-c synchronous_commit=on',
    Client: CountingClient,
  });
}

/**
 * Reads fsync, synchronous_commit and wal_sync_method back through `pool`; throws `PgSettingsError`
 * unless commits are durable (fsync on, synchronous_commit on).
 */
export async function checkDurable(pool: pg.Pool): Promise<PgDurability> {
  const show = async (name: string) => String((await pool.query(`SHOW ${name}`)).rows[0][name]);
  const settings: PgDurability = {
    fsync: await show('fsync'),
    synchronousCommit: await show('synchronous_commit'),
    walSync: await show('wal_sync_method'),
    serverVersion: await show('server_version'),
  };
  if (settings.fsync !== 'on' || settings.synchronousCommit !== 'on')
    throw new PgSettingsError(`PostgreSQL commits are not durable: ${JSON.stringify(settings)}`);
  return settings;
}

/** Row count of a table (`schema.table`, both trusted identifiers from this bench). */
export async function countRows(pool: pg.Pool, table: string): Promise<number> {
  return Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
}
