import { close, closeSync, constants, ftruncate, ftruncateSync, open, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  CheckpointConflictError,
  CheckpointStoreError,
  GENESIS_HASH,
  sealRecord,
  type CheckpointRecord,
  type StoreWarning,
} from '@baton/core';
import { isErrno, storeIoError } from './fs-util.js';
import type { GroupCommit } from './group-commit.js';
import { CheckpointWriteError } from './checkpoint-write-error.js';
import { anchorPath, writeAnchor, type AnchorHead } from './anchor.js';
import { readLog, type ParsedLog } from './log-file.js';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const ftruncateAsync = promisify(ftruncate);
const noop = (): void => undefined;

/** What a `RunLog` needs from its store. */
export interface RunLogEnvironment {
  /** Absent with `durability: 'none'`. */
  readonly commit: GroupCommit | undefined;
  /** Throws `CheckpointConflictError` when another writer holds the run's lock. */
  assertWritable(runId: string): Promise<void>;
  /** Makes the runs directory durable (after a log file was created), group-committed. */
  syncDirectory(): Promise<void>;
  warn(warning: StoreWarning): void;
  /** Called when the log opens or closes its file (for the open-files cap). */
  fileOpened(log: RunLog): void;
  fileClosed(log: RunLog): void;
  /** Called once when a write or sync failed and the log refuses further appends. */
  failed(log: RunLog): void;
  /** Remembers why a failed append left partial bytes in the run's log (so their removal can say so). */
  notePartialWrite(runId: string, reason: string): void;
  /** Why partial bytes were left in the run's log by this process, if they were; forgets it. */
  takePartialWrite(runId: string): string | undefined;
}

interface ChainState {
  /** Records in the file: the `seq` the next append must carry. */
  count: number;
  lastHash: string;
  /** Bytes of complete records: where a failed append's partial bytes start. */
  bytes: number;
}

/**
 * The append side of one run's log file. Every operation on the run goes
 * through one queue, so appends are applied in call order and reads see every
 * earlier append. The queue only covers writing: an append's `fdatasync` is
 * requested from the group commit after its write, so the next append can be
 * written (and share the same sync) while the first one waits.
 */
export class RunLog {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private fd: number | undefined;
  private chain: ChainState | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  // Anchor writes in call order, so an older head never replaces a newer one.
  private anchoring: Promise<unknown> = Promise.resolve();
  // The file was created and its directory entry is not known to be durable yet.
  private newFile = false;

  constructor(
    readonly runId: string,
    readonly path: string,
    private readonly env: RunLogEnvironment,
  ) {}

  /** True when no operation is queued or syncing, so the file may be closed at once. */
  get idle(): boolean {
    return this.queued === 0 && this.inFlight.size === 0;
  }

  /** True while the log file is open. */
  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /** Appends `record` (see `CheckpointStore.append`): resolves once it is as durable as configured. */
  append(record: CheckpointRecord): Promise<void> {
    // The queue only waits for the write; durability is awaited outside it (see the class doc).
    return this.enqueue(() => this.write(record)).then(({ durable }) => durable);
  }

  /** Reads the log after every earlier queued append was written. */
  read(): Promise<ParsedLog | undefined> {
    return this.enqueue(() => this.readFile());
  }

  /**
   * Runs `operation` with the run to itself: after earlier appends are
   * durable, with the file closed and the cached chain dropped (the operation
   * may rewrite or delete the file).
   */
  exclusive<T>(operation: () => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.quiesce();
      return operation();
    });
  }

  /** Closes the file after pending work; the log reopens it if used again. */
  close(): Promise<void> {
    return this.enqueue(() => this.quiesce());
  }

  /** Closes the file now; only valid while `idle`. */
  closeIdle(): void {
    if (!this.idle) throw new CheckpointStoreError(`RunLog of '${this.runId}' is not idle`);
    this.closeFile();
  }

  private enqueue<T>(operation: () => Promise<T> | T): Promise<T> {
    this.queued += 1;
    const result = this.tail.then(operation).finally(() => {
      this.queued -= 1;
    });
    this.tail = result.catch(noop);
    return result;
  }

  /** Writes one record; returns (boxed, so the queue does not wait for it) the promise of its durability. */
  private async write(record: CheckpointRecord): Promise<{ durable: Promise<void> }> {
    if (this.failure !== undefined) throw this.brokenError();
    const fd = await this.open();
    const chain = this.chain as ChainState;
    if (record.seq !== chain.count) {
      throw new CheckpointConflictError(
        this.runId,
        `append of seq ${JSON.stringify(record.seq)} but the run has ${chain.count} record(s), so the next seq is ${chain.count}`,
      );
    }
    let sealed: { text: string; hash: string };
    try {
      sealed = sealRecord(record, chain.lastHash);
    } catch (error) {
      throw new CheckpointStoreError(
        `Cannot append record ${record.seq} of run '${this.runId}': it is not JSON-serializable (${(error as Error).message})`,
        { cause: error },
      );
    }
    const head = { records: chain.count + 1, lastHash: sealed.hash };
    if (record.type === 'run.finished') await this.anchorBefore(chain, head);
    const line = Buffer.from(`${sealed.text}\n`, 'utf8');
    const failure = writeAll(fd, line);
    if (failure) {
      this.fail(failure.error);
      throw this.writeFailed(fd, chain, record.seq, line.length, failure);
    }
    chain.bytes += line.length;
    chain.count += 1;
    chain.lastHash = sealed.hash;
    // Registered before the queue moves on, so the file is never closed under a pending sync.
    const synced = this.makeDurable(fd);
    const durable = record.type === 'run.finished' ? this.anchorAfter(synced, head) : synced;
    this.inFlight.add(durable);
    void durable.catch(noop).finally(() => this.inFlight.delete(durable));
    return { durable };
  }

  private async makeDurable(fd: number): Promise<void> {
    const commit = this.env.commit;
    if (!commit) return;
    try {
      const directory = this.newFile ? this.env.syncDirectory() : undefined;
      await commit.sync(fd);
      if (directory) {
        await directory;
        this.newFile = false;
      }
    } catch (error) {
      this.fail(error);
      throw new CheckpointWriteError(
        this.runId,
        this.path,
        'fdatasync',
        'none',
        'the record was written but is not confirmed durable (after a failed fdatasync the kernel may drop written pages); the next append re-reads the log from disk',
        { cause: error },
      );
    }
    // After a failed fsync the kernel may have dropped earlier pages: later records cannot be trusted either.
    if (this.failure !== undefined) throw this.brokenError();
  }

  /**
   * A write failed (a full disk, a quota, an I/O error) after `failure.written`
   * bytes of the record: cuts those bytes off again, so the log is not left with
   * what would later pass for a crash's torn write, and says what happened.
   */
  private writeFailed(
    fd: number,
    chain: ChainState,
    seq: number,
    total: number,
    failure: WriteFailure,
  ): CheckpointWriteError {
    const error = failure.error;
    if (failure.written === 0) {
      return new CheckpointWriteError(
        this.runId,
        this.path,
        'write',
        'none',
        `nothing was written; the log still ends at record ${chain.count}`,
        { cause: error },
      );
    }
    const partial = `${failure.written} of ${total} byte(s) of record ${seq}`;
    try {
      ftruncateSync(fd, chain.bytes);
    } catch (truncateError) {
      const reason = `a failed append of record ${seq} (${describeError(error)}) that could not be cut off (${describeError(truncateError)})`;
      this.env.notePartialWrite(this.runId, reason);
      return new CheckpointWriteError(
        this.runId,
        this.path,
        'write',
        'left',
        `${partial} had been written and could not be cut off (${describeError(truncateError)}); the next append removes them`,
        { cause: error },
      );
    }
    this.env.warn({
      code: 'partial_write_removed',
      runId: this.runId,
      message: `Removed ${partial}, written to ${this.path} before the write failed (${describeError(error)}); the log ends at record ${chain.count} as before`,
    });
    return new CheckpointWriteError(
      this.runId,
      this.path,
      'write',
      'removed',
      `${partial} had been written and were cut off again; the log ends at record ${chain.count} as before`,
      { cause: error },
    );
  }

  /**
   * Before a `run.finished` record is written: an anchor accepting the log's
   * end both without and with it, so a crash before the final anchor leaves
   * a log that its anchor accepts either way (see `Anchor`).
   */
  private async anchorBefore(chain: ChainState, head: AnchorHead): Promise<void> {
    await this.anchoring;
    const heads = chain.count > 0 ? [{ records: chain.count, lastHash: chain.lastHash }, head] : [head];
    await this.writeAnchor(heads);
  }

  /** Once the `run.finished` record is durable: the anchor at the log's new end only. */
  private anchorAfter(synced: Promise<void>, head: AnchorHead): Promise<void> {
    const anchored = Promise.all([synced, this.anchoring]).then(() => this.writeAnchor([head]));
    this.anchoring = anchored.catch(noop);
    return anchored;
  }

  private async writeAnchor(heads: AnchorHead[]): Promise<void> {
    const durable = this.env.commit !== undefined;
    await writeAnchor(anchorPath(this.path), this.runId, heads, durable);
    if (durable) await this.env.syncDirectory();
  }

  private async open(): Promise<number> {
    if (this.fd !== undefined) return this.fd;
    await this.env.assertWritable(this.runId);
    let fd: number;
    let created = true;
    try {
      fd = await openAsync(
        this.path,
        constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL,
        0o644,
      );
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw storeIoError('create', this.path, error);
      created = false;
      fd = await openAsync(this.path, constants.O_WRONLY | constants.O_APPEND).catch((cause: unknown) => {
        throw storeIoError('open', this.path, cause);
      });
    }
    try {
      this.chain = created ? { count: 0, lastHash: GENESIS_HASH, bytes: 0 } : await this.loadChain(fd);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.newFile = created;
    this.fd = fd;
    this.env.fileOpened(this);
    return fd;
  }

  /** Reads the existing log; cuts off a torn tail so the next record starts on a fresh line. */
  private async loadChain(fd: number): Promise<ChainState> {
    const parsed = await this.readFile();
    if (!parsed) throw new CheckpointStoreError(`Log file ${this.path} vanished while being opened`);
    if (parsed.tornBytes > 0) {
      await ftruncateAsync(fd, parsed.validBytes).catch((error: unknown) => {
        throw storeIoError('truncate the torn tail of', this.path, error);
      });
      this.env.warn({
        code: 'torn_tail_truncated',
        runId: this.runId,
        message: `Removed a torn write of ${parsed.tornBytes} byte(s) after record ${parsed.records.length} of ${this.path} (${tornCause(this.env.takePartialWrite(this.runId))}; it had not resolved)`,
      });
    }
    return { count: parsed.records.length, lastHash: parsed.lastHash, bytes: parsed.validBytes };
  }

  private readFile(): Promise<ParsedLog | undefined> {
    return readLog(this.path, this.runId);
  }

  /** Waits for in-flight syncs, then closes the file and forgets the chain. */
  private async quiesce(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    this.closeFile();
  }

  private closeFile(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    this.chain = undefined;
    this.env.fileClosed(this);
    void closeAsync(fd).catch(noop);
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.env.failed(this);
  }

  private brokenError(): CheckpointStoreError {
    return new CheckpointStoreError(
      `A write or fdatasync of ${this.path} failed, so this append is not confirmed durable; the next append to run '${this.runId}' re-reads the log from disk`,
      { cause: this.failure },
    );
  }
}

interface WriteFailure {
  error: unknown;
  /** Bytes written before the failure. */
  written: number;
}

/** Writes all of `buffer`; on failure, returns the error and how much had been written. */
function writeAll(fd: number, buffer: Buffer): WriteFailure | undefined {
  let offset = 0;
  try {
    // A single write() normally takes it all; loop for the rare short write (e.g. the disk filling up).
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
  } catch (error) {
    return { error, written: offset };
  }
  return undefined;
}

/** What left a torn tail: this process's failed append when it knows one, else what it usually is. */
export function tornCause(partialWrite: string | undefined): string {
  if (partialWrite !== undefined) return `left by ${partialWrite} in this process`;
  return 'an append that never finished: its process was killed mid-write, or a write failed (e.g. a full disk) and its partial bytes could not be removed';
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
