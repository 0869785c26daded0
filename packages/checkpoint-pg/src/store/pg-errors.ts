import { CheckpointStoreError } from '@baton/core';

/** The stable codes of `PostgresStoreError`. */
export type PostgresStoreErrorCode =
  /** The server could not be reached or the connection broke (retryable). */
  | 'BATON_PG_CONNECTION'
  /** The server refused for a moment: serialization failure, deadlock, too many connections, shutting down (retryable). */
  | 'BATON_PG_TRANSIENT'
  /** Login refused: wrong password, unknown user or database (fatal). */
  | 'BATON_PG_AUTH'
  /** The store's tables are missing or older than this version: call `migrate()` (fatal). */
  | 'BATON_PG_NOT_MIGRATED'
  /** Any other server error: permissions, a bad schema name, a bug (fatal). */
  | 'BATON_PG_QUERY';

/** Retryable or fatal, and which code: the outcome of {@link classifyPgError}. */
export interface PgErrorClass {
  code: PostgresStoreErrorCode;
  retryable: boolean;
}

// Node's socket errors that mean "the server is not there right now" (ENOTFOUND is a misconfiguration: fatal).
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
// node-postgres reports a lost connection or a pool timeout as a plain Error without a code.
const SOCKET_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];
// SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) worth retrying.
const TRANSIENT_STATES = new Set(['40001', '40P01', '53000', '53100', '53200', '53300', '53400', '55P03', '57014']);
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03', '57P05']);
const MISSING_STATES = new Set(['42P01', '3F000', '42703']);

/** The SQLSTATE of a node-postgres server error (five characters), or `undefined`. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Classifies an error from `pg` (node-postgres) or the socket under it: connection
 * errors (class 08, refused/reset sockets, a dropped connection, a shutting-down server)
 * and transient server refusals (serialization failures, deadlocks, resource limits)
 * are retryable; login failures (class 28, unknown database), missing tables and
 * everything else are fatal.
 */
export function classifyPgError(error: unknown): PgErrorClass {
  const state = sqlStateOf(error);
  if (state !== undefined) {
    if (state.startsWith('08') || SHUTDOWN_STATES.has(state)) return { code: 'BATON_PG_CONNECTION', retryable: true };
    if (TRANSIENT_STATES.has(state)) return { code: 'BATON_PG_TRANSIENT', retryable: true };
    if (state.startsWith('28') || state === '3D000') return { code: 'BATON_PG_AUTH', retryable: false };
    if (MISSING_STATES.has(state)) return { code: 'BATON_PG_NOT_MIGRATED', retryable: false };
    return { code: 'BATON_PG_QUERY', retryable: false };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return { code: 'BATON_PG_CONNECTION', retryable: true };
  const message = error instanceof Error ? error.message : String(error);
  if (SOCKET_MESSAGES.some((pattern) => pattern.test(message))) return { code: 'BATON_PG_CONNECTION', retryable: true };
  return { code: 'BATON_PG_QUERY', retryable: false };
}

/**
 * A PostgreSQL call failed. `code` says what kind of failure (see
 * {@link PostgresStoreErrorCode}), `retryable` whether trying again can help (the
 * store already retried those), `sqlState` is the server's SQLSTATE when it sent one,
 * and `cause` is the error from `pg`.
 */
export class PostgresStoreError extends CheckpointStoreError {
  /** True for connection loss and transient refusals. */
  readonly retryable: boolean;
  /** The server's SQLSTATE (e.g. `28P01`), if the error came from the server. */
  readonly sqlState: string | undefined;
  /** The store operation that failed, e.g. `append`. */
  readonly operation: string;

  constructor(operation: string, target: string, error: unknown, attempts = 1) {
    const { code, retryable } = classifyPgError(error);
    const state = sqlStateOf(error);
    const detail = error instanceof Error ? error.message : String(error);
    const hint = code === 'BATON_PG_NOT_MIGRATED' ? ' (call `await store.migrate()` once before use)' : '';
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    super(`PostgreSQL ${operation} on ${target} failed${tries}${state ? ` [${state}]` : ''}: ${detail}${hint}`, {
      cause: error,
      kind: retryable ? 'retryable' : 'fatal',
      code,
    });
    this.retryable = retryable;
    this.sqlState = state;
    this.operation = operation;
  }
}

/**
 * A record cannot be written because JSON cannot hold one of its values (a bigint,
 * a cycle, a `toJSON` that throws). Refused before anything is sent to the server.
 */
export class RecordNotSerializableError extends CheckpointStoreError {
  constructor(
    readonly runId: string,
    readonly seq: number,
    cause: unknown,
  ) {
    super(
      `Cannot append record ${seq} of run '${runId}': it is not JSON-serializable (${cause instanceof Error ? cause.message : String(cause)})`,
      { cause, code: 'BATON_CHECKPOINT_NOT_SERIALIZABLE' },
    );
  }
}
