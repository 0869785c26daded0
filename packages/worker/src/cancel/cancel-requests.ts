import type pg from 'pg';

/** The LISTEN/NOTIFY channel of cancel requests for one store schema. */
export function cancelChannel(schema: string): string {
  return `baton_cancel_${schema}`;
}

/** Creates the cancel-requests table in the store's schema (idempotent). */
export async function migrateCancelRequests(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS "${schema}".worker_cancels (run_id text PRIMARY KEY, requested_at timestamptz NOT NULL DEFAULT now())`,
  );
}

/** Records a cancel request and notifies every worker, in one transaction (the NOTIFY fires on commit). */
export async function requestCancel(pool: pg.Pool, schema: string, runId: string): Promise<void> {
  await pool.query(
    `WITH inserted AS (INSERT INTO "${schema}".worker_cancels (run_id) VALUES ($1) ON CONFLICT DO NOTHING)
     SELECT pg_notify($2, $1)`,
    [runId, cancelChannel(schema)],
  );
}

/** Which of `runIds` have a cancel request. */
export async function cancelledAmong(pool: pg.Pool, schema: string, runIds: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ run_id: string }>(
    `SELECT run_id FROM "${schema}".worker_cancels WHERE run_id = ANY($1::text[])`,
    [runIds],
  );
  return rows.map((row) => row.run_id);
}

/**
 * Listens for cancel notifications on a dedicated connection, reconnecting after a loss (the watcher's backstop
 * check covers what was missed meanwhile). Returns a function that stops listening.
 */
export async function listenForCancels(
  connectionString: string,
  schema: string,
  onCancel: (runId: string) => void,
  Client: typeof pg.Client,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  const connect = async (): Promise<void> => {
    const next = new Client({ connectionString });
    next.on('notification', (message) => {
      if (message.payload) onCancel(message.payload);
    });
    next.on('error', () => {
      if (stopped) return;
      client = undefined;
      void next.end().catch(() => {});
      setTimeout(() => void connect().catch(() => {}), 1_000).unref();
    });
    await next.connect();
    await next.query(`LISTEN "${cancelChannel(schema)}"`);
    client = next;
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end();
  };
}
