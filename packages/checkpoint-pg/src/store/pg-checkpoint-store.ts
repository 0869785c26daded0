import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  assertValidRunId,
  CheckpointConflictError,
  GENESIS_HASH,
  resolveRetryPolicy,
  unsealRecord,
  type CheckpointRecord,
  type CheckpointStore,
  type ListRunsOptions,
  type PruneOptions,
  type RunChangeHandlers,
  type RunChangeSubscription,
  type RunOwner,
  type RunSummary,
  type StoreWarning,
} from '@baton/core';
import pg from 'pg';
import type { StoreContext } from './context.js';
import { pruneRuns, summarizeRuns, verifyRuns, type PruneResult, type VerifyReport } from './maintenance.js';
import { migrateSchema, quoteIdent, type MigrateResult } from './migrations.js';
import { describeTarget, parseOptions, type PostgresCheckpointStoreOptions } from './options.js';
import { PgCaller } from './pg-caller.js';
import { PgRunLease, type LeaseSettings } from './pg-lease.js';
import { readChain } from './records.js';
import { PgRunWatch } from './run-watch.js';
import { RunWriter } from './run-writer.js';
import { buildStatements, prepared } from './statements.js';

/** Retries of retryable PostgreSQL failures unless `retry` says otherwise: quick, since a checkpoint blocks the run. */
const STORE_RETRY = {
  maxAttempts: 5,
  initialDelayMs: 50,
  backoffFactor: 2,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 2_000,
  jitter: 'full',
} as const;

/**
 * A `CheckpointStore` on PostgreSQL, through `pg` (node-postgres).
 *
 * One row per record in `<schema>.records`, keyed `(run_id, seq)`: the primary key is
 * the compare-and-set, so of writers racing for one seq exactly one wins and the others
 * get `CheckpointConflictError`. Each row holds the record's sealed JSON text, exactly
 * as the fs and S3 stores write it, and the SHA-256 chain is verified on every read.
 * `acquire` takes a lease row with a random fencing token, renewed in the background;
 * every append checks that token against the server clock in the same statement that
 * inserts, so a writer whose lease was taken over or ran out can never append.
 * Call `migrate()` once (any number of times, from any number of processes) before use.
 *
 * @example
 * const store = new PostgresCheckpointStore({ connectionString: process.env.DATABASE_URL! });
 * await store.migrate();
 * const supervisor = createSupervisor({ store });
 */
export class PostgresCheckpointStore implements CheckpointStore {
  /** The PostgreSQL schema holding the store's tables. */
  readonly schema: string;
  private readonly context: StoreContext;
  private readonly leaseSettings: LeaseSettings;
  private readonly writer: RunWriter;
  private readonly leases = new Map<string, PgRunLease>();
  private readonly listeners = new Set<(warning: StoreWarning) => void>();
  private readonly ownedPool: pg.Pool | undefined;
  private readonly watches = new Set<PgRunWatch>();
  private closing: Promise<void> | undefined;

  constructor(options: PostgresCheckpointStoreOptions) {
    const parsed = parseOptions(options);
    this.schema = parsed.schema;
    // A pool we create is ours to end; a pool we are given stays the caller's.
    this.ownedPool = parsed.connectionString
      ? new pg.Pool({ connectionString: parsed.connectionString, max: parsed.poolSize })
      : undefined;
    // An idle client that loses its connection emits 'error' on the pool; unhandled, that would crash the process.
    this.ownedPool?.on('error', (error) =>
      this.emit({ code: 'pool_error', message: `An idle PostgreSQL connection failed: ${error.message}` }),
    );
    const target = describeTarget(parsed.connectionString, parsed.schema);
    this.context = {
      pool: parsed.pool ?? this.ownedPool!,
      caller: new PgCaller({ target, retry: resolveRetryPolicy(STORE_RETRY, parsed.retry) }),
      sql: buildStatements(quoteIdent(parsed.schema)),
      schema: parsed.schema,
      target,
      warn: (warning) => this.emit(warning),
    };
    this.leaseSettings = {
      owner: parsed.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      ttlMs: parsed.leaseTtlMs,
      renewEveryMs: parsed.leaseRenewIntervalMs ?? Math.max(10, Math.floor(parsed.leaseTtlMs / 3)),
      safetyMarginMs: parsed.leaseSafetyMarginMs ?? Math.floor(parsed.leaseTtlMs / 5),
      monotonicNow: parsed.monotonicNow ?? (() => performance.now()),
    };
    this.writer = new RunWriter(this.context, (runId) => this.leases.get(runId));
  }

  /** This worker's name, as written in its leases. */
  get owner(): string {
    return this.leaseSettings.owner;
  }

  /**
   * Creates or upgrades the store's schema (see `MIGRATIONS`). Idempotent, and safe to call
   * from many processes at once (an advisory lock serializes them).
   */
  async migrate(): Promise<MigrateResult> {
    return this.context.caller.call('migrate', () => migrateSchema(this.context.pool, this.schema));
  }

  /** Stores `record` as row `seq` of its run; rejects with `CheckpointConflictError` if `seq` is not the run's next one. */
  async append(record: CheckpointRecord): Promise<void> {
    assertValidRunId(record.runId);
    if (!Number.isSafeInteger(record.seq) || record.seq < 0) {
      throw new CheckpointConflictError(record.runId, `invalid seq ${JSON.stringify(record.seq)}`);
    }
    return this.writer.append(record);
  }

  /** The run's records in order, each verified against the SHA-256 chain; `[]` for an unknown run. */
  async read(runId: string): Promise<CheckpointRecord[]> {
    assertValidRunId(runId);
    return (await readChain(this.context, runId)).map(unsealRecord);
  }

  /** Summaries of all runs, oldest first, from one query (record bodies are not read or verified; see `verify`). */
  async listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    const summaries = await summarizeRuns(this.context);
    return summaries
      .filter(
        (summary) =>
          (!options.status || summary.status === options.status) &&
          (!options.workflow || summary.workflow.name === options.workflow),
      )
      .sort((a, b) => a.startedAt - b.startedAt || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  }

  /** Deletes the run's records and lease in one statement. */
  async deleteRun(runId: string): Promise<void> {
    assertValidRunId(runId);
    this.leases.get(runId)?.abandon();
    await this.context.caller.call('delete run', () => this.context.pool.query(this.context.sql.deleteRun, [runId]));
    this.writer.forget(runId);
  }

  /**
   * Takes the run's lease (see the class docs). Rejects with `CheckpointConflictError`
   * while another worker, or this store, holds it. The lease's `signal` aborts if it is lost.
   */
  async acquire(runId: string): Promise<PgRunLease> {
    assertValidRunId(runId);
    const held = this.leases.get(runId);
    if (held && !held.lost)
      throw new CheckpointConflictError(runId, `already leased by this store (owner '${this.owner}')`);
    held?.abandon();
    const token = randomUUID();
    const sentAt = this.leaseSettings.monotonicNow();
    const { rows } = await this.context.caller.call('acquire', () =>
      this.context.pool.query<{ token: string; tail_seq: string | null; tail_hash: string | null }>(
        prepared(this.context.sql.acquire, [runId, this.owner, token, this.leaseSettings.ttlMs]),
      ),
    );
    const taken = rows[0];
    if (!taken) throw await this.heldElsewhere(runId);
    const lease: PgRunLease = new PgRunLease(
      runId,
      token,
      this.leaseSettings,
      {
        renew: async (current) =>
          (
            await this.context.caller.call('renew lease', () =>
              this.context.pool.query(prepared(this.context.sql.renew, [runId, current, this.leaseSettings.ttlMs])),
            )
          ).rows.length > 0,
        release: async (current) => {
          await this.context.caller.call('release lease', () =>
            this.context.pool.query(prepared(this.context.sql.release, [runId, current])),
          );
        },
      },
      sentAt,
      (warning) => this.emit(warning),
      () => {
        if (this.leases.get(runId) === lease) {
          this.leases.delete(runId);
          this.writer.release(runId);
        }
      },
    );
    this.leases.set(runId, lease);
    this.writer.seed(
      runId,
      taken.tail_seq === null || taken.tail_hash === null
        ? { count: 0, lastHash: GENESIS_HASH }
        : { count: Number(taken.tail_seq) + 1, lastHash: taken.tail_hash },
    );
    return lease;
  }

  /**
   * Who holds the run's lease (read, never taken): alive until its `expires_at`, gone
   * (`alive: false`) once it expired unrenewed (its worker died or was paused past the TTL),
   * `undefined` when there is no lease row (never taken, or released). Judged on the
   * server's clock, the same clock every append's fencing check uses.
   */
  async ownerOf(runId: string): Promise<RunOwner | undefined> {
    assertValidRunId(runId);
    const { rows } = await this.context.caller.call('read lease', () =>
      this.context.pool.query<{ owner: string; acquired_at: Date; expires_at: Date; alive: boolean }>(
        this.context.sql.leaseOwner,
        [runId],
      ),
    );
    const row = rows[0];
    if (!row) return undefined;
    const until = row.expires_at.toISOString();
    return {
      alive: row.alive,
      description: row.alive
        ? `leased by '${row.owner}' until ${until}`
        : `lease of '${row.owner}' expired at ${until}, not renewed`,
      since: row.acquired_at.getTime(),
    };
  }

  /**
   * Deletes the runs `options` select (finished runs by default; see `PruneOptions`),
   * skipping runs whose lease is live and runs that changed since they were listed.
   */
  async prune(options: PruneOptions): Promise<PruneResult> {
    return pruneRuns(this.context, () => this.listRuns(), options, Date.now);
  }

  /** Reads and verifies the whole SHA-256 chain of one run, or of every run; a damaged run is reported, not thrown. */
  async verify(runId?: string): Promise<VerifyReport> {
    if (runId !== undefined) assertValidRunId(runId);
    return verifyRuns(this.context, runId);
  }

  /** Subscribes to warnings (lease lost, a failed renewal, an idle connection error). Returns an unsubscribe. */
  onWarning(listener: (warning: StoreWarning) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Pushes the id of every run that gets a record, from any process: each append's INSERT fires a trigger
   * (migration 2) that sends `pg_notify('baton.<schema>', run_id)`, delivered when the append commits. Holds
   * one pool connection for its LISTEN; when that connection drops it reconnects (100 ms doubling to 5 s) and
   * calls `onResync`, since notifications sent meanwhile are lost. Resolves once listening.
   */
  async watchRuns(handlers: RunChangeHandlers): Promise<RunChangeSubscription> {
    const watch: PgRunWatch = new PgRunWatch(this.context, handlers, () => this.watches.delete(watch));
    await watch.start();
    this.watches.add(watch);
    return watch;
  }

  /** Waits for pending appends, stops watches, releases held leases, and ends the pool if the store created it. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.watches].map((watch) => watch.close()));
      await this.writer.drain();
      await Promise.all([...this.leases.values()].map((lease) => lease.release()));
      await this.ownedPool?.end();
    })();
    return this.closing;
  }

  private async heldElsewhere(runId: string): Promise<CheckpointConflictError> {
    const { rows } = await this.context.caller.call('read lease', () =>
      this.context.pool.query<{ owner: string; expires_at: Date; remaining_ms: string }>(this.context.sql.leaseHolder, [
        runId,
      ]),
    );
    const row = rows[0];
    if (!row) return new CheckpointConflictError(runId, 'another worker took the lease at the same moment');
    return new CheckpointConflictError(
      runId,
      `leased by '${row.owner}' until ${row.expires_at.toISOString()} (${row.remaining_ms} ms from now)`,
    );
  }

  /** Calls every warning listener; one that throws never breaks the store operation. */
  private emit(warning: StoreWarning): void {
    for (const listener of this.listeners) {
      try {
        listener(warning);
      } catch {
        // A failing listener must not fail the store operation that warned.
      }
    }
  }
}
