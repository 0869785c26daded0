import { close, constants, open } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  assertValidRunId,
  CheckpointConflictError,
  CheckpointCorruptedError,
  CheckpointStoreError,
  parsePruneOptions,
  summarizeRun,
  unsealRecord,
  type CheckpointRecord,
  type CheckpointStore,
  type ListRunsOptions,
  type PruneOptions,
  type RunLease,
  type RunOwner,
  type RunSummary,
  type StoreWarning,
} from '@baton/core';
import { fsyncDirectory, ignoreMissing, storeIoError } from './fs-util.js';
import { GroupCommit, type GroupCommitStats } from './group-commit.js';
import { cleanLitter } from './litter.js';
import { readLog, type ParsedLog } from './log-file.js';
import {
  anchorRun,
  compactRun,
  deleteRunFiles,
  pruneRuns,
  verifyRuns,
  type CompactResult,
  type MaintenanceContext,
  type PruneResult,
  type VerifyReport,
} from './maintenance.js';
import { parseOptions, type FsCheckpointStoreOptions, type FsCheckpointStoreOptionsWithDefaults } from './options.js';
import { assertAppendable, listRunIds, logPath } from './run-files.js';
import { RunLocks } from './run-lock.js';
import { RunLog, tornCause, type RunLogEnvironment } from './run-log.js';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const LIST_CONCURRENCY = 16;

/** Counters of an `FsCheckpointStore`, for benchmarks and diagnostics. */
export interface FsCheckpointStoreStats extends GroupCommitStats {
  /** Log files open right now. */
  openFiles: number;
}

/**
 * A `CheckpointStore` on the local filesystem. Each run is one append-only
 * JSONL file, `<dir>/runs/<runId>.jsonl`, one SHA-256-chained record per line
 * (core's `sealRecord`). With `durability: 'fsync'` an append resolves only
 * after `fdatasync`, group-committed across runs. A run's single writer is
 * guarded by `<dir>/locks/<runId>.lock` (see `acquire`).
 *
 * @example
 * const store = new FsCheckpointStore({ dir: '.baton' });
 * const supervisor = createSupervisor({ store });
 */
export class FsCheckpointStore implements CheckpointStore {
  /** The store's directory, absolute. */
  readonly dir: string;
  /** The durability appends wait for. */
  readonly durability: 'fsync' | 'none';
  private readonly options: FsCheckpointStoreOptionsWithDefaults;
  private readonly runsDir: string;
  private readonly locks: RunLocks;
  private readonly commit: GroupCommit | undefined;
  private readonly logs = new Map<string, RunLog>();
  private readonly leases = new Map<string, string>();
  private readonly listeners = new Set<(warning: StoreWarning) => void>();
  // Why a failed append of this process left partial bytes in a run's log (see RunLog.writeFailed).
  private readonly partialWrites = new Map<string, string>();
  private readonly environment: RunLogEnvironment;
  private readonly maintenance: MaintenanceContext;
  private openFiles = 0;
  private ready: Promise<void> | undefined;
  private directoryFd: Promise<number> | undefined;
  private closed = false;

  /** Validates `options` (throws `CheckpointStoreError` naming the bad ones); touches no file until first use. */
  constructor(options: FsCheckpointStoreOptions) {
    this.options = parseOptions(options);
    this.dir = resolve(this.options.dir);
    this.durability = this.options.durability;
    this.runsDir = join(this.dir, 'runs');
    this.locks = new RunLocks(join(this.dir, 'locks'), (warning) => this.warn(warning));
    this.commit = this.durability === 'fsync' ? new GroupCommit() : undefined;
    this.environment = {
      commit: this.commit,
      assertWritable: (runId) => this.assertWritable(runId),
      syncDirectory: () => this.syncDirectoryGrouped(),
      warn: (warning) => this.warn(warning),
      fileOpened: () => this.fileOpened(),
      fileClosed: () => {
        this.openFiles -= 1;
      },
      failed: (log) => this.dropLog(log),
      notePartialWrite: (runId, reason) => this.partialWrites.set(runId, reason),
      takePartialWrite: (runId) => {
        const reason = this.partialWrites.get(runId);
        this.partialWrites.delete(runId);
        return reason;
      },
    };
    this.maintenance = {
      durable: this.durability === 'fsync',
      logPath: (runId) => this.logPath(runId),
      listRunIds: () => this.listRunIds(),
      readRun: (runId) => this.readRun(runId),
      listRuns: () => this.listRuns(),
      withRun: (runId, operation) => this.withRun(runId, operation),
      syncDirectory: () => fsyncDirectory(this.runsDir),
    };
  }

  /** Appends a record (see `CheckpointStore.append`); with `'fsync'` it resolves once the record is on disk. */
  append(record: CheckpointRecord): Promise<void> {
    try {
      this.assertUsable();
      assertAppendable(record);
    } catch (error) {
      return Promise.reject(error);
    }
    // Routed synchronously, so appends issued without awaiting reach the run's queue in call order.
    return this.logFor(record.runId).append(record);
  }

  /** The run's records in `seq` order (`[]` for an unknown run); a torn tail is ignored with a `torn_tail` warning. */
  async read(runId: string): Promise<CheckpointRecord[]> {
    this.assertUsable();
    assertValidRunId(runId);
    const parsed = await this.readRun(runId);
    if (!parsed) return [];
    if (parsed.tornBytes > 0) {
      this.warn({
        code: 'torn_tail',
        runId,
        message: `Ignored a torn write of ${parsed.tornBytes} byte(s) after record ${parsed.records.length} of ${this.logPath(runId)} (${tornCause(this.partialWrites.get(runId))})`,
      });
    }
    return parsed.records.map(unsealRecord);
  }

  /** Every run with at least one record, oldest first; an unreadable log is left out with a `run_unreadable` warning. */
  async listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    this.assertUsable();
    const runIds = await this.listRunIds();
    const summaries: RunSummary[] = [];
    for (let index = 0; index < runIds.length; index += LIST_CONCURRENCY) {
      const batch = runIds.slice(index, index + LIST_CONCURRENCY);
      for (const summary of await Promise.all(batch.map((runId) => this.summarize(runId)))) {
        if (summary) summaries.push(summary);
      }
    }
    return summaries
      .filter(
        (run) =>
          (options.status === undefined || run.status === options.status) &&
          (options.workflow === undefined || run.workflow.name === options.workflow),
      )
      .sort((a, b) => a.startedAt - b.startedAt || a.runId.localeCompare(b.runId));
  }

  /** Deletes a run's log; a no-op for an unknown run. Rejects with `CheckpointConflictError` while another writer holds the run. */
  async deleteRun(runId: string): Promise<void> {
    this.assertUsable();
    assertValidRunId(runId);
    await this.withRun(runId, async () => {
      await deleteRunFiles(this.logPath(runId));
      if (this.durability === 'fsync') await fsyncDirectory(this.runsDir).catch(ignoreMissing);
    });
    const log = this.logs.get(runId);
    if (log?.idle) this.logs.delete(runId);
  }

  /**
   * Takes the run's single-writer lock (`<dir>/locks/<runId>.lock`, holding
   * this process's pid). A lock whose process is gone is taken over with a
   * `stale_lock` warning; a live one rejects with `CheckpointConflictError`.
   */
  async acquire(runId: string): Promise<RunLease> {
    this.assertUsable();
    assertValidRunId(runId);
    await this.init();
    if (this.leases.has(runId))
      throw new CheckpointConflictError(runId, `already acquired through this store (${this.dir})`);
    const owner = await this.locks.acquire(runId);
    this.leases.set(runId, owner.token);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.releaseLease(runId, owner.token);
      },
    };
  }

  /**
   * Who holds the run's lock, judged as `acquire` judges it: a lock whose
   * process is gone (or whose pid now belongs to another process) is
   * `alive: false`; a lock of another host is assumed alive; no lock file is
   * `undefined`. Reads only: a stale lock is left for `acquire` to take over.
   */
  async ownerOf(runId: string): Promise<RunOwner | undefined> {
    this.assertUsable();
    assertValidRunId(runId);
    const lock = await this.locks.inspect(runId);
    if (lock.kind === 'free') return undefined;
    return {
      alive: lock.kind === 'held',
      description: lock.reason,
      ...(lock.owner ? { since: lock.owner.acquiredAt } : {}),
    };
  }

  /** Subscribes to warnings (torn tails, stale locks, unreadable logs left out of `listRuns`); returns an unsubscribe. */
  onWarning(listener: (warning: StoreWarning) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Checks one run's log (throws `RunNotFoundError` if it has none) or, without `runId`, every log. Never throws for corruption: it is reported. */
  async verify(runId?: string): Promise<VerifyReport> {
    this.assertUsable();
    if (runId !== undefined) assertValidRunId(runId);
    await this.sweep();
    return verifyRuns(this.maintenance, runId);
  }

  /** Deletes finished runs selected by age and/or count (see `PruneOptions`), skipping runs another process holds. */
  async prune(options: PruneOptions): Promise<PruneResult> {
    this.assertUsable();
    const parsed = parsePruneOptions(options);
    await this.init();
    await this.sweep();
    return pruneRuns(this.maintenance, parsed);
  }

  /** Rewrites a finished run's log to its final records (a new file renamed over the old one). */
  async compact(runId: string): Promise<CompactResult> {
    this.assertUsable();
    assertValidRunId(runId);
    return compactRun(this.maintenance, runId);
  }

  /**
   * Accepts a finished run's log as it is now by writing its anchor at the
   * log's end: for a run `verify` reports `unanchored` (a crash between its
   * `run.finished` record and the anchor, or a log from before anchors).
   * Only do this when no records can have been removed from the log's end.
   */
  async anchor(runId: string): Promise<{ runId: string; records: number }> {
    this.assertUsable();
    assertValidRunId(runId);
    const head = await anchorRun(this.maintenance, runId);
    return { runId, records: head.records };
  }

  /** Counters: sync requests, syncs made, open files. */
  stats(): FsCheckpointStoreStats {
    const commit = this.commit?.stats() ?? { requests: 0, syncs: 0 };
    return { ...commit, openFiles: this.openFiles };
  }

  /** Waits for pending appends, closes files and releases this store's locks. Further calls reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.logs.values()].map((log) => log.close()));
    this.logs.clear();
    await Promise.allSettled([...this.leases].map(([runId, token]) => this.locks.release(runId, token)));
    this.leases.clear();
    const directory = this.directoryFd;
    this.directoryFd = undefined;
    if (directory) await directory.then((fd) => closeAsync(fd)).catch(() => undefined);
  }

  private logPath(runId: string): string {
    return logPath(this.runsDir, runId);
  }

  private logFor(runId: string): RunLog {
    let log = this.logs.get(runId);
    if (log) {
      // Re-inserting keeps the map in least-recently-used order for eviction.
      this.logs.delete(runId);
    } else {
      log = new RunLog(runId, this.logPath(runId), this.environment);
    }
    this.logs.set(runId, log);
    return log;
  }

  private readRun(runId: string): Promise<ParsedLog | undefined> {
    const log = this.logs.get(runId);
    return log ? log.read() : readLog(this.logPath(runId), runId);
  }

  private async summarize(runId: string): Promise<RunSummary | undefined> {
    try {
      const parsed = await this.readRun(runId);
      return parsed && summarizeRun(parsed.records.map(unsealRecord));
    } catch (error) {
      if (!(error instanceof CheckpointCorruptedError)) throw error;
      this.warn({ code: 'run_unreadable', runId, message: `Left run '${runId}' out of listRuns: ${error.message}` });
      return undefined;
    }
  }

  private listRunIds(): Promise<string[]> {
    return listRunIds(this.runsDir);
  }

  private async withRun<T>(runId: string, operation: () => Promise<T>): Promise<T> {
    await this.init();
    const owner = this.leases.has(runId) ? undefined : await this.locks.acquire(runId);
    try {
      return await this.logFor(runId).exclusive(operation);
    } finally {
      if (owner) await this.locks.release(runId, owner.token);
    }
  }

  private async releaseLease(runId: string, token: string): Promise<void> {
    if (this.leases.get(runId) !== token) return;
    const log = this.logs.get(runId);
    if (log) {
      await log.close();
      if (this.logs.get(runId) === log && log.idle) this.logs.delete(runId);
    }
    this.leases.delete(runId);
    await this.locks.release(runId, token);
  }

  private async assertWritable(runId: string): Promise<void> {
    await this.init();
    if (this.leases.has(runId)) return;
    const lock = await this.locks.inspect(runId);
    if (lock.kind === 'held') {
      throw new CheckpointConflictError(
        runId,
        `another writer holds its lock (${lock.reason}); lock file ${this.locks.path(runId)}`,
      );
    }
  }

  private init(): Promise<void> {
    this.ready ??= Promise.all([
      mkdir(this.runsDir, { recursive: true }),
      mkdir(join(this.dir, 'locks'), { recursive: true }),
    ]).then(
      () => this.sweep(),
      (error: unknown) => {
        this.ready = undefined;
        throw storeIoError('create the store directory', this.dir, error);
      },
    );
    return this.ready;
  }

  /**
   * Removes temporary files left by killed processes (see `cleanLitter`): on
   * first use, and before `verify` and `prune`. A failure is a warning, never
   * the failure of the operation that swept.
   */
  private async sweep(): Promise<void> {
    try {
      await cleanLitter([this.runsDir, join(this.dir, 'locks')], (warning) => this.warn(warning));
    } catch (error) {
      this.warn({
        code: 'litter_unremovable',
        message: `Could not remove temporary files left in ${this.dir}: ${(error as Error).message}`,
      });
    }
  }

  /** fsync of the runs directory through the group commit, so one covers many newly created logs. */
  private async syncDirectoryGrouped(): Promise<void> {
    this.directoryFd ??= openAsync(this.runsDir, constants.O_RDONLY | constants.O_DIRECTORY).catch((error: unknown) => {
      this.directoryFd = undefined;
      throw storeIoError('open the directory', this.runsDir, error);
    });
    const fd = await this.directoryFd;
    await (this.commit as GroupCommit).sync(fd, true);
  }

  private fileOpened(): void {
    this.openFiles += 1;
    for (const [runId, log] of this.logs) {
      if (this.openFiles <= this.options.maxOpenFiles) break;
      if (log.isOpen && log.idle) {
        log.closeIdle();
        this.logs.delete(runId);
      }
    }
  }

  private dropLog(log: RunLog): void {
    if (this.logs.get(log.runId) === log) this.logs.delete(log.runId);
    void log.close().catch(() => undefined);
  }

  private warn(warning: StoreWarning): void {
    for (const listener of [this.options.onWarning, ...this.listeners]) {
      try {
        listener?.(warning);
      } catch {
        // A failing listener must not fail the store operation that warned.
      }
    }
  }

  private assertUsable(): void {
    if (this.closed) throw new CheckpointStoreError(`FsCheckpointStore at ${this.dir} is closed`);
  }
}
