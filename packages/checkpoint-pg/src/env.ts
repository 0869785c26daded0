/** The store options `pgOptionsFromEnv` reads. */
export interface PgEnvOptions {
  connectionString: string;
}

/**
 * Reads `BATON_PG_URL` (as written to `.pg/env` by the repo's `scripts/pg-up.sh`).
 * Returns `undefined` when it is unset or empty.
 */
export function pgOptionsFromEnv(env: Record<string, string | undefined> = process.env): PgEnvOptions | undefined {
  const connectionString = env.BATON_PG_URL;
  return connectionString ? { connectionString } : undefined;
}
