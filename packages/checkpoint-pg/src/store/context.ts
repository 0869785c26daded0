import type { StoreWarning } from '@baton/core';
import type { Pool } from 'pg';
import type { PgCaller } from './pg-caller.js';
import type { Statements } from './statements.js';

/** What the store's parts share. */
export interface StoreContext {
  pool: Pool;
  caller: PgCaller;
  sql: Statements;
  /** The schema name (unquoted). */
  schema: string;
  /** `host:port/db schema "x"`, for messages. */
  target: string;
  warn: (warning: StoreWarning) => void;
}

/** Where a record lives, as named in `CheckpointCorruptedError`s: `postgres:"baton".records(run_id='r', seq=3)`. */
export function recordLocation(context: StoreContext, runId: string, seq?: number): string {
  const key = seq === undefined ? `run_id='${runId}'` : `run_id='${runId}', seq=${seq}`;
  return `postgres:"${context.schema}".records(${key})`;
}
