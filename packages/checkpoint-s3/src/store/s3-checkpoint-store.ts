import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import {
  assertValidRunId,
  CheckpointConflictError,
  resolveRetryPolicy,
  unsealRecord,
  type CheckpointRecord,
  type CheckpointStore,
  type ListRunsOptions,
  type PruneOptions,
  type RunOwner,
  type RunSummary,
  type StoreWarning,
} from '@baton/core';
import { AwsSdkObjectClient } from '../client/aws-sdk-object-client.js';
import type { S3ObjectClient } from '../client/object-client.js';
import { listAll, type StoreContext } from './context.js';
import { KeyLayout } from './keys.js';
import { acquireLease, leaseOwner, type LeaseSettings, S3RunLease } from './lease.js';
import { pruneRuns, verifyRuns, type PruneResult, type VerifyReport } from './maintenance.js';
import { parseOptions, type S3CheckpointStoreOptions } from './options.js';
import { readChain } from './records.js';
import { RunWriter } from './run-writer.js';
import { describeEndpoint, probeConditionalWrites } from './probe.js';
import { S3Caller } from './s3-call.js';
import { summarizeRuns } from './summaries.js';

/** Retries of transient S3 failures unless `retry` says otherwise: quick, since a checkpoint blocks the run. */
// maxRetryAfterMs: a store call holds a lease; it keeps its own short cap rather than core's 5-minute step default.
const STORE_RETRY = {
  maxAttempts: 5,
  initialDelayMs: 50,
  backoffFactor: 2,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 2_000,
  jitter: 'full',
} as const;
const DELETE_BATCH = 1000;

/**
 * A `CheckpointStore` on S3 (or any S3-compatible server with conditional writes).
 *
 * One object per record under `<prefix>runs/<runId>/records/<seq>.json`, each
 * written with `If-None-Match: *`, so two writers can never both append the same
 * `seq`: one wins, the other gets `CheckpointConflictError`. Records carry
 * core's SHA-256 chain, verified on every read. `acquire` takes a lease object
 * per run (ETag compare-and-swap, renewed in the background), so a crashed
 * worker's run can be taken over once the lease expires and a live one cannot.
 *
 * @example
 * const store = new S3CheckpointStore({ bucket: 'my-bucket', prefix: 'baton/', clientConfig: { region: 'eu-west-1' } });
 */
export class S3CheckpointStore implements CheckpointStore {
  /** The bucket records live in. */
  readonly bucket: string;
  /** The key prefix, normalized to end with `/` (or empty). */
  readonly prefix: string;
  private readonly context: StoreContext;
  private readonly leaseSettings: LeaseSettings;
  private readonly writer: RunWriter;
  private readonly leases = new Map<string, S3RunLease>();
  private readonly listeners = new Set<(warning: StoreWarning) => void>();
  private readonly ownedClient: S3Client | undefined;
  private readonly endpoint: () => Promise<string>;
  private probe: Promise<void> | undefined;

  constructor(options: S3CheckpointStoreOptions) {
    const parsed = parseOptions(options);
    const keys = new KeyLayout(parsed.prefix);
    this.bucket = parsed.bucket;
    this.prefix = keys.prefix;
    // A client we create is ours to destroy; its SDK retries are off so core's policy is the only retry layer.
    this.ownedClient = parsed.clientConfig ? new S3Client({ maxAttempts: 1, ...parsed.clientConfig }) : undefined;
    const sdkClient = parsed.client ?? this.ownedClient;
    const client: S3ObjectClient =
      parsed.objectClient ??
      new AwsSdkObjectClient({ client: sdkClient!, bucket: parsed.bucket, quoteIfMatch: parsed.quoteIfMatch });
    const caller = new S3Caller({
      bucket: parsed.bucket,
      prefix: keys.prefix,
      retry: resolveRetryPolicy(STORE_RETRY, parsed.retry),
    });
    this.context = {
      client,
      caller,
      keys,
      bucket: parsed.bucket,
      readConcurrency: parsed.readConcurrency,
      now: parsed.now ?? Date.now,
      warn: (warning) => this.emit(warning),
    };
    this.endpoint = () => describeEndpoint(parsed);
    this.leaseSettings = {
      owner: parsed.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      ttlMs: parsed.leaseTtlMs,
      renewEveryMs: parsed.leaseRenewIntervalMs ?? Math.max(10, Math.floor(parsed.leaseTtlMs / 3)),
      safetyMarginMs: parsed.leaseSafetyMarginMs ?? Math.floor(parsed.leaseTtlMs / 5),
      monotonicNow: parsed.monotonicNow ?? (() => performance.now()),
    };
    this.writer = new RunWriter(this.context, {
      ready: () => this.ensureConditionalWrites(),
      guard: (runId) => this.leases.get(runId)?.assertValid(),
      conflicted: (runId, error) =>
        this.leases.get(runId)?.fence(`a write lost to another writer (${error.message})`, error),
    });
  }

  /** This worker's name, as written in its leases. */
  get owner(): string {
    return this.leaseSettings.owner;
  }

  /** Stores `record` as object `seq` of its run; rejects with `CheckpointConflictError` if `seq` is not the run's next one. */
  async append(record: CheckpointRecord): Promise<void> {
    assertValidRunId(record.runId);
    if (!Number.isSafeInteger(record.seq) || record.seq < 0 || record.seq >= 1e12) {
      throw new CheckpointConflictError(record.runId, `invalid seq ${JSON.stringify(record.seq)}`);
    }
    return this.writer.append(record);
  }

  /** The run's records in order, each verified against the SHA-256 chain; `[]` for an unknown run. */
  async read(runId: string): Promise<CheckpointRecord[]> {
    assertValidRunId(runId);
    return (await readChain(this.context, runId)).map(unsealRecord);
  }

  /** Summaries of all runs, oldest first. A run whose first or last record cannot be read is left out with a warning. */
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

  /** Deletes every object of the run (records and lease) with batched `DeleteObjects`. */
  async deleteRun(runId: string): Promise<void> {
    assertValidRunId(runId);
    this.leases.get(runId)?.abandon();
    const keys = await listAll(this.context, this.context.keys.runPrefix(runId));
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      await this.context.caller.call('DeleteObjects', this.context.keys.runPrefix(runId), () =>
        this.context.client.deleteMany(batch),
      );
    }
    this.writer.forget(runId);
  }

  /**
   * Takes the run's lease (see the class docs). Rejects with
   * `CheckpointConflictError` while another worker, or this store, holds it.
   * The returned lease's `signal` aborts if it is lost.
   */
  async acquire(runId: string): Promise<S3RunLease> {
    assertValidRunId(runId);
    const held = this.leases.get(runId);
    if (held && !held.lost)
      throw new CheckpointConflictError(runId, `already leased by this store (owner '${this.owner}')`);
    held?.abandon();
    await this.ensureConditionalWrites();
    const lease = await acquireLease(this.context, this.leaseSettings, runId, () => {
      if (this.leases.get(runId) === lease) this.leases.delete(runId);
    });
    this.leases.set(runId, lease);
    return lease;
  }

  /**
   * Who holds the run's lease (read, never taken): alive until the lease's
   * `expiresAt`, gone (`alive: false`) once it expired unrenewed, `undefined`
   * when there is no lease or it was released. Judged on this store's clock.
   */
  async ownerOf(runId: string): Promise<RunOwner | undefined> {
    assertValidRunId(runId);
    return leaseOwner(this.context, runId);
  }

  /**
   * Deletes the runs `options` select (finished runs by default; see `PruneOptions`),
   * skipping runs whose lease is live and runs that changed since they were listed.
   */
  async prune(options: PruneOptions): Promise<PruneResult> {
    return pruneRuns(
      this.context,
      { listRuns: () => this.listRuns(), deleteRun: (runId) => this.deleteRun(runId) },
      options,
    );
  }

  /** Reads and verifies the whole SHA-256 chain of one run, or of every run; a damaged run is reported, not thrown. */
  async verify(runId?: string): Promise<VerifyReport> {
    if (runId !== undefined) assertValidRunId(runId);
    return verifyRuns(this.context, runId);
  }

  /** Subscribes to warnings (lease lost, unreadable runs skipped by `listRuns`, ...). Returns an unsubscribe. */
  onWarning(listener: (warning: StoreWarning) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls every warning listener; one that throws never breaks the store operation. */
  private emit(warning: StoreWarning): void {
    for (const listener of this.listeners) {
      try {
        listener(warning);
      } catch {
        // A failing listener must not fail the store operation that warned (as in the fs store).
      }
    }
  }

  /** Waits for pending appends, releases held leases, and destroys the S3 client if the store created it. */
  async close(): Promise<void> {
    await this.writer.drain();
    await Promise.all([...this.leases.values()].map((lease) => lease.release()));
    this.ownedClient?.destroy();
  }

  /** Probes the server once per store (see `probeConditionalWrites`); a failed probe is retried on the next call. */
  private ensureConditionalWrites(): Promise<void> {
    this.probe ??= probeConditionalWrites(this.context, this.endpoint).catch((error: unknown) => {
      this.probe = undefined;
      throw error;
    });
    return this.probe;
  }
}
