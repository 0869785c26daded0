import { type FSWatcher, watch } from 'node:fs';
import { summarizeRun, type CheckpointStore, type RunChangeSubscription, type RunSummary } from '@baton/core';
import type { DashboardRunStatus, JudgeLiveness } from './types.js';

/** A listed run with the status the dashboard shows (`interrupted` when its owner is gone). */
export interface IndexedRun extends Omit<RunSummary, 'status'> {
  status: DashboardRunStatus;
  /** Why the status is what it is, when the store's judgement adds something (`owner gone: …`). */
  note?: string;
}

/** A page of runs, newest first, with the totals the filters need. */
export interface RunsPage {
  total: number;
  offset: number;
  limit: number;
  /** Runs per shown status over the whole store (ignoring the status filter, honouring the search). */
  counts: Partial<Record<DashboardRunStatus, number>>;
  runs: IndexedRun[];
}

/** Filters and paging of {@link RunsIndex.query}. */
export interface RunsQuery {
  /** Only runs with one of these statuses (empty: all). */
  statuses?: readonly DashboardRunStatus[];
  /** Case-insensitive substring of the run id or the workflow name. */
  search?: string;
  offset?: number;
  limit?: number;
}

/** How the index learns about new and changed runs. */
export interface RunsIndexOptions {
  /** The fs store's `runs` folder: watched with `fs.watch`, each changed log re-read alone. */
  watchDir?: string;
  /**
   * Use the store's `watchRuns` (pg: LISTEN/NOTIFY) when it has one: each pushed run is re-read alone.
   * @default true
   */
  useStoreWatch?: boolean;
  /** Full re-list interval: the only source of changes without a watch (S3), a safety net with one. */
  pollIntervalMs: number;
  /** Re-list interval while the store's `watchRuns` is live. @default pollIntervalMs */
  storeWatchPollIntervalMs?: number;
  /** Tells an interrupted run from a running one. */
  judge?: JudgeLiveness;
  /** Called with the ids of runs that appeared or changed. */
  onChange?: (runIds: string[]) => void;
  /** Called when a refresh fails (the previous state is kept). */
  onError?: (error: unknown) => void;
}

/** Debounce of fs events on one run's log (an append writes several times). */
const WATCH_DEBOUNCE_MS = 25;
/** How often a store without its runs folder yet is checked for it. */
const FOLDER_RETRY_MS = 1_000;

/**
 * Every run's summary, kept in memory: one `listRuns` at start, then only what changes (fs: the run whose
 * log file an `fs.watch` event names; other stores: a `listRuns` per poll, diffed). Queries filter, search
 * and page this index, so the browser only ever receives one page of runs.
 */
export class RunsIndex {
  private readonly runs = new Map<string, IndexedRun>();
  /** Newest first; rebuilt lazily after a change. */
  private sorted: IndexedRun[] | undefined;
  private watcher: FSWatcher | undefined;
  private subscription: RunChangeSubscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private folderTimer: NodeJS.Timeout | undefined;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private polling: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: CheckpointStore,
    private readonly options: RunsIndexOptions,
  ) {}

  /** Loads every summary and starts watching (fs folder or the store's `watchRuns`) and polling. */
  async start(): Promise<void> {
    await this.subscribe();
    try {
      await this.refreshAll();
    } catch (error) {
      // The dashboard does not start: its LISTEN connection must not outlive it.
      await this.subscription?.close().catch(() => {});
      this.subscription = undefined;
      throw error;
    }
    if (this.options.watchDir && !this.startWatching(this.options.watchDir)) this.awaitFolder(this.options.watchDir);
    const interval = this.subscription
      ? (this.options.storeWatchPollIntervalMs ?? this.options.pollIntervalMs)
      : this.options.pollIntervalMs;
    this.timer = setInterval(() => void this.poll(), interval);
    this.timer.unref?.();
  }

  /** Whether changes arrive through `fs.watch` (else only by polling). */
  get watching(): boolean {
    return this.watcher !== undefined;
  }

  /** Whether changes are pushed by the store's `watchRuns` (pg: LISTEN/NOTIFY). */
  get storeWatching(): boolean {
    return this.subscription !== undefined;
  }

  /** Stops watching and polling. */
  close(): void {
    this.closed = true;
    this.watcher?.close();
    void this.subscription?.close().catch((error: unknown) => this.options.onError?.(error));
    this.subscription = undefined;
    if (this.timer) clearInterval(this.timer);
    if (this.folderTimer) clearInterval(this.folderTimer);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  /** One run's indexed summary. */
  get(runId: string): IndexedRun | undefined {
    return this.runs.get(runId);
  }

  /** A page of runs matching `query`, newest first. */
  query(query: RunsQuery = {}): RunsPage {
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.min(500, Math.max(1, query.limit ?? 50));
    const search = query.search?.trim().toLowerCase();
    const statuses = new Set(query.statuses ?? []);
    const counts: RunsPage['counts'] = {};
    const matching: IndexedRun[] = [];
    for (const run of this.newestFirst()) {
      if (search && !run.runId.toLowerCase().includes(search) && !run.workflow.name.toLowerCase().includes(search))
        continue;
      counts[run.status] = (counts[run.status] ?? 0) + 1;
      if (statuses.size === 0 || statuses.has(run.status)) matching.push(run);
    }
    return { total: matching.length, offset, limit, counts, runs: matching.slice(offset, offset + limit) };
  }

  /** Re-reads one run (after a watch event or an action) and reports it if it changed. */
  async refreshRun(runId: string): Promise<void> {
    const records = await this.store.read(runId);
    const summary = summarizeRun(records);
    if (!summary) {
      if (this.runs.delete(runId)) this.changed([runId]);
      return;
    }
    const run = await this.judge(summary);
    if (this.closed) return;
    if (!sameRun(this.runs.get(runId), run)) {
      this.runs.set(runId, run);
      this.changed([runId]);
    }
  }

  /** Re-lists the whole store and reports what appeared, changed or went away. */
  async refreshAll(): Promise<void> {
    const listed = await this.store.listRuns();
    const next = new Map<string, IndexedRun>();
    const batch = 32;
    for (let index = 0; index < listed.length; index += batch) {
      const judged = await Promise.all(listed.slice(index, index + batch).map((run) => this.judge(run)));
      for (const run of judged) next.set(run.runId, run);
    }
    if (this.closed) return;
    const changed: string[] = [];
    for (const [runId, run] of next) {
      if (!sameRun(this.runs.get(runId), run)) changed.push(runId);
      this.runs.set(runId, run);
    }
    for (const runId of this.runs.keys()) {
      if (!next.has(runId)) {
        this.runs.delete(runId);
        changed.push(runId);
      }
    }
    if (changed.length > 0) this.changed(changed);
  }

  /**
   * Subscribes before the first listing, so no append falls between them. A store whose watch fails to start
   * is polled instead (reported through `onError`).
   */
  private async subscribe(): Promise<void> {
    if (this.options.useStoreWatch === false || !this.store.watchRuns) return;
    try {
      this.subscription = await this.store.watchRuns({
        onChange: (runIds) => {
          for (const runId of runIds) this.schedule(runId);
        },
        onResync: () => void this.poll(),
        onError: (error) => this.options.onError?.(error),
      });
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private poll(): Promise<void> {
    // One poll at a time: a slow store (10,000 runs on S3) must not pile up re-lists.
    this.polling ??= this.refreshAll()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }

  /** Until the runs folder exists (an empty store), looks for it every second, then watches it and re-lists. */
  private awaitFolder(dir: string): void {
    this.folderTimer = setInterval(() => {
      if (this.closed || !this.startWatching(dir)) return;
      clearInterval(this.folderTimer);
      this.folderTimer = undefined;
      void this.poll();
    }, FOLDER_RETRY_MS);
    this.folderTimer.unref?.();
  }

  /** Starts `fs.watch`; false when the folder does not exist (yet). */
  private startWatching(dir: string): boolean {
    try {
      this.watcher = watch(dir, (_event, filename) => {
        const name = typeof filename === 'string' ? filename : undefined;
        if (!name) return void this.poll();
        const match = /^(.+)\.jsonl$/.exec(name);
        if (match?.[1]) this.schedule(match[1]);
      });
      this.watcher.on('error', (error) => {
        this.watcher = undefined;
        this.options.onError?.(error);
      });
      return true;
    } catch {
      // No runs folder yet (an empty store).
      this.watcher = undefined;
      return false;
    }
  }

  private schedule(runId: string): void {
    clearTimeout(this.pending.get(runId));
    this.pending.set(
      runId,
      setTimeout(() => {
        this.pending.delete(runId);
        this.refreshRun(runId).catch((error: unknown) => this.options.onError?.(error));
      }, WATCH_DEBOUNCE_MS),
    );
  }

  private async judge(summary: RunSummary): Promise<IndexedRun> {
    if (summary.status !== 'running' || !this.options.judge) return summary;
    const { status, note } = await this.options.judge(summary.runId, summary.status);
    return { ...summary, status, ...(note ? { note } : {}) };
  }

  private newestFirst(): IndexedRun[] {
    this.sorted ??= [...this.runs.values()].sort(
      (a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0),
    );
    return this.sorted;
  }

  private changed(runIds: string[]): void {
    this.sorted = undefined;
    this.options.onChange?.(runIds);
  }
}

function sameRun(a: IndexedRun | undefined, b: IndexedRun): boolean {
  return (
    a !== undefined &&
    a.records === b.records &&
    a.updatedAt === b.updatedAt &&
    a.status === b.status &&
    a.note === b.note &&
    a.workflow.hash === b.workflow.hash
  );
}
