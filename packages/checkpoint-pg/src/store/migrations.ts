import type { Pool } from 'pg';

/** One schema change; `version`s are applied in order, each once, in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  /** SQL run with the store's schema as `s` (an already-quoted identifier). */
  sql: (s: string) => string;
}

/**
 * The store's migrations. Append new ones; never edit one that has shipped.
 *
 * `records.body` is the record's sealed JSON text exactly as the fs and S3 stores write it
 * (`sealRecord`), kept as `text` (not `jsonb`, which would reorder keys and break the hash).
 * The other columns are copies for queries (`listRuns`, the append's chain check).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'records and leases',
    sql: (s) => `
      CREATE TABLE ${s}.records (
        run_id   text   NOT NULL,
        seq      bigint NOT NULL CHECK (seq >= 0),
        hash     text   NOT NULL,
        type     text   NOT NULL,
        status   text,
        at       bigint NOT NULL,
        workflow text   NOT NULL,
        body     text   NOT NULL,
        PRIMARY KEY (run_id, seq)
      );
      CREATE TABLE ${s}.leases (
        run_id      text        PRIMARY KEY,
        owner       text        NOT NULL,
        token       uuid        NOT NULL,
        acquired_at timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL
      );`,
  },
  {
    version: 2,
    name: 'notify on append',
    // In the appending transaction, so a listener hears of a record only once it is committed. The payload is
    // the run id alone (at most 128 characters, far below NOTIFY's 8000 bytes); the channel is per schema.
    sql: (s) => `
      CREATE FUNCTION ${s}.notify_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(left('baton.' || TG_TABLE_SCHEMA, 63), NEW.run_id);
        RETURN NULL;
      END $$;
      CREATE TRIGGER records_notify AFTER INSERT ON ${s}.records
        FOR EACH ROW EXECUTE FUNCTION ${s}.notify_record();`,
  },
  {
    // Why this keeps every guarantee: a lease row only ever *permits* appends (each append must find its own
    // token, live, in the same statement), so losing rows can fence writers out but never let one in. After a
    // server crash, an unlogged table comes back empty (and a promoted standby has it empty too): every old
    // holder's next append, renewal or release finds no row with its token, so it is fenced exactly as if its
    // lease had been taken over, and the runs are free to be acquired again. A clean restart keeps the rows.
    // What it buys: a lease's acquire, renewal and release, and the row lock every append takes on it
    // (`FOR SHARE`), write no WAL, so they no longer wait for a WAL flush of their own; only records do.
    version: 3,
    name: 'unlogged leases',
    sql: (s) => `ALTER TABLE ${s}.leases SET UNLOGGED;`,
  },
  {
    // A NOTIFY takes a cluster-wide lock at commit, which serializes committing appends: measured with 1,000
    // concurrent runs it halved throughput (482 vs 1,021 runs/s, bench -- pg, 2026-12-04). So appends notify only
    // while someone watches: `watchRuns` keeps a row here (renewed, expiring), and the trigger checks for a live one
    // (an index probe on an unlogged table, no lock). A watcher that dies stops the notifications when its row expires.
    version: 4,
    name: 'notify only while watched',
    sql: (s) => `
      CREATE UNLOGGED TABLE ${s}.watchers (id uuid PRIMARY KEY, expires_at timestamptz NOT NULL);
      CREATE OR REPLACE FUNCTION ${s}.notify_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM ${s}.watchers WHERE expires_at > now()) THEN
          PERFORM pg_notify(left('baton.' || TG_TABLE_SCHEMA, 63), NEW.run_id);
        END IF;
        RETURN NULL;
      END $$;`,
  },
];

/** How long a watcher's row keeps appends notifying without a renewal, and how often `watchRuns` renews it. */
export const WATCHER_TTL = { ttlSeconds: 30, renewMs: 10_000 } as const;

/** The NOTIFY channel of a schema's appends (the trigger of migration 2 computes the same name). */
export function notifyChannel(schema: string): string {
  return `baton.${schema}`.slice(0, 63);
}

/** The newest migration version this package knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Double-quotes an identifier for SQL (the schema name is validated too, this is belt and braces). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Result of `migrate()`. */
export interface MigrateResult {
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[];
  /** The schema's version afterwards. */
  version: number;
}

/**
 * Brings `schema` to {@link SCHEMA_VERSION}: creates the schema and the migrations table
 * if needed and applies the missing migrations, each in a transaction that also records
 * it. Concurrent callers (workers starting together) are serialized by a transaction-level
 * advisory lock on the schema name, so each migration runs once; a second call is a no-op.
 */
export async function migrateSchema(pool: Pool, schema: string): Promise<MigrateResult> {
  const s = quoteIdent(schema);
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    for (;;) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`baton-checkpoint-pg:${schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${s}.migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
        const { rows } = await client.query<{ version: number | null }>(
          `SELECT max(version) AS version FROM ${s}.migrations`,
        );
        const current = rows[0]?.version ?? 0;
        const next = MIGRATIONS.find((migration) => migration.version > current);
        if (!next) {
          await client.query('COMMIT');
          return { applied, version: current };
        }
        await client.query(next.sql(s));
        await client.query(`INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`, [next.version, next.name]);
        await client.query('COMMIT');
        applied.push(next.version);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
  } finally {
    client.release();
  }
}
