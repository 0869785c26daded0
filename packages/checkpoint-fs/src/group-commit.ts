import { fdatasync, fsync } from 'node:fs';
import { promisify } from 'node:util';

const fdatasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface FileSyncs {
  /** A sync of this file is running; requests wait for the next one. */
  running: boolean;
  /** Requests for the next sync; `full` when one of them needs `fsync` (directories, whose entries are metadata). */
  next: Waiter[];
  full: boolean;
}

/** Counters of a `GroupCommit`, for benchmarks and diagnostics. */
export interface GroupCommitStats {
  /** Sync requests (one per durable append, plus directory syncs). */
  requests: number;
  /** `fdatasync`/`fsync` calls made. */
  syncs: number;
}

/**
 * Group commit: callers ask for an fd to be made durable once they wrote to
 * it. Requests gathered in one macrotask start one sync per distinct file;
 * requests for a file whose sync is already running wait for its next sync,
 * which then covers all of them. Files never wait for each other: there is no
 * round barrier, so one slow file does not hold back the others.
 *
 * Safety rests on one rule: a request is only made after its bytes were
 * written, and it is only ever served by a sync that started after the
 * request, so that sync covers the bytes. Callers must not close an fd while
 * a request on it is pending.
 */
export class GroupCommit {
  private readonly files = new Map<number, FileSyncs>();
  private readonly toStart = new Set<number>();
  private startScheduled = false;
  private readonly counters: GroupCommitStats = { requests: 0, syncs: 0 };

  /** @param syncFile makes one fd durable (`fsync` when `full`, else `fdatasync`); injectable for tests. */
  constructor(private readonly syncFile: (fd: number, full: boolean) => Promise<void> = syncFileDefault) {}

  /** Resolves once every byte written to `fd` before this call is durable. */
  sync(fd: number, full = false): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.counters.requests += 1;
      let file = this.files.get(fd);
      if (!file) this.files.set(fd, (file = { running: false, next: [], full: false }));
      file.next.push({ resolve, reject });
      file.full ||= full;
      if (file.running) return;
      this.toStart.add(fd);
      if (!this.startScheduled) {
        this.startScheduled = true;
        // Start on the next macrotask so that appends written in this one share their file's sync.
        setImmediate(() => this.startPending());
      }
    });
  }

  /** A snapshot of the counters. */
  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  private startPending(): void {
    this.startScheduled = false;
    for (const fd of this.toStart) this.start(fd);
    this.toStart.clear();
  }

  private start(fd: number): void {
    const file = this.files.get(fd);
    if (!file || file.running || file.next.length === 0) return;
    const waiters = file.next;
    const full = file.full;
    file.next = [];
    file.full = false;
    file.running = true;
    this.counters.syncs += 1;
    this.syncFile(fd, full)
      .then(
        () => settle(waiters, undefined),
        (error: unknown) => settle(waiters, error ?? new Error('sync failed')),
      )
      .finally(() => {
        file.running = false;
        if (file.next.length > 0) this.start(fd);
        else this.files.delete(fd);
      });
  }
}

function settle(waiters: readonly Waiter[], error: unknown): void {
  for (const waiter of waiters) {
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}

function syncFileDefault(fd: number, full: boolean): Promise<void> {
  return full ? fsyncAsync(fd) : fdatasyncAsync(fd);
}
