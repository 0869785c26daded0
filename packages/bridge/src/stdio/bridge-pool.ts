import { randomUUID } from 'node:crypto';
import { CancelledError, type AgentHealthCheck } from '@baton/core';
import { BridgeClosedError } from '../errors/bridge-closed-error.js';
import { BridgeConfigError } from '../errors/bridge-config-error.js';
import type { RunParams, RunResultWire } from '../protocol/types.js';
import { abortable } from './abortable.js';
import { BridgeWorker, type BridgeRunOptions } from './bridge-worker.js';
import { resolveWorkerOptions, type BridgeWorkerOptions } from './worker-options.js';

/** Options of a {@link BridgePool}: its size plus the options of every worker. */
export interface BridgePoolOptions extends BridgeWorkerOptions {
  /** Most worker processes alive at once; started lazily, on demand. @default 1 */
  size?: number;
  /** Runs one worker serves at once. Keep 1 for frameworks with process-global state. @default 1 */
  concurrency?: number;
}

/** A snapshot of the pool for dashboards and tests. */
export interface BridgePoolStats {
  size: number;
  concurrency: number;
  workers: { id: number; pid: number | undefined; state: BridgeWorker['state']; activeRuns: number }[];
  /** Calls waiting for a free worker slot. */
  queued: number;
  /** Workers started since the pool was created (replacements included). */
  started: number;
  /** Workers that died with calls pending or were killed (crash, hang, protocol error). */
  lost: number;
}

interface Waiter {
  resolve(worker: BridgeWorker): void;
  reject(error: Error): void;
}

/**
 * A pool of Python workers. Runs go to the least-loaded live worker; workers start lazily up to
 * `size`; a worker that dies is dropped and the next call starts a fresh one. Queued calls wait
 * FIFO and honour their abort signal.
 */
export class BridgePool {
  readonly size: number;
  readonly concurrency: number;
  readonly #workerOptions: BridgeWorkerOptions;
  readonly #workers: BridgeWorker[] = [];
  readonly #load = new Map<BridgeWorker, number>();
  readonly #waiters: Waiter[] = [];
  #closed = false;
  #started = 0;
  #lost = 0;

  constructor(options: BridgePoolOptions = {}) {
    const { size = 1, concurrency = 1, ...workerOptions } = options;
    for (const [name, value] of [
      ['size', size],
      ['concurrency', concurrency],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new BridgeConfigError({
          message: `Invalid bridge pool option ${name}: expected an integer >= 1, got ${String(value)}`,
        });
    }
    resolveWorkerOptions(workerOptions); // validate once, up front
    this.size = size;
    this.concurrency = concurrency;
    this.#workerOptions = workerOptions;
  }

  /** Runs `params` on a pooled worker; `callId` defaults to a fresh UUID. */
  async run(
    params: Omit<RunParams, 'callId'> & { callId?: string },
    options: BridgeRunOptions = {},
  ): Promise<RunResultWire> {
    const full: RunParams = { ...params, callId: params.callId ?? randomUUID() };
    const worker = await this.#acquire(options.signal, full);
    try {
      return await worker.run(full, options);
    } finally {
      this.#release(worker);
    }
  }

  /** Starts workers until `count` (default `size`) are alive and ready. */
  async warm(count = this.size): Promise<void> {
    while (this.#workers.length < Math.min(count, this.size)) this.#spawn();
    await Promise.all(this.#workers.map((worker) => worker.ready));
  }

  /** A real check: pings a ready worker (starting one if none), and reports `runner`'s status. */
  async health(signal?: AbortSignal, runner?: string): Promise<AgentHealthCheck> {
    try {
      const worker =
        this.#workers.find((candidate) => candidate.state === 'ready') ?? this.#workers[0] ?? this.#spawn();
      const info = await abortable(worker.ready, signal, () => new CancelledError('Health check aborted'));
      await abortable(Promise.resolve(worker.ping()), signal, () => new CancelledError('Health check aborted'));
      const status = runner ? info.runners[runner] : undefined;
      if (status && !status.ok) return { ok: false, detail: status.error.message };
      const frameworks = Object.entries(status?.ok ? status.frameworks : info.frameworks).map(
        ([name, version]) => `${name} ${version}`,
      );
      return { ok: true, detail: [`pid ${worker.pid}`, `python ${info.python.version}`, ...frameworks].join(', ') };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Current workers, load and counters. */
  stats(): BridgePoolStats {
    return {
      size: this.size,
      concurrency: this.concurrency,
      workers: this.#workers.map((worker) => ({
        id: worker.id,
        pid: worker.pid,
        state: worker.state,
        activeRuns: worker.activeRuns,
      })),
      queued: this.#waiters.length,
      started: this.#started,
      lost: this.#lost,
    };
  }

  /** The live workers (for tests and diagnostics). */
  get workers(): readonly BridgeWorker[] {
    return [...this.#workers];
  }

  /** Stops every worker gracefully; queued and later calls fail with `BridgeClosedError`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new BridgeClosedError('Bridge pool'));
    await Promise.all(this.#workers.map((worker) => worker.close()));
  }

  #acquire(signal: AbortSignal | undefined, params: RunParams): Promise<BridgeWorker> {
    if (this.#closed) return Promise.reject(new BridgeClosedError('Bridge pool'));
    if (signal?.aborted)
      return Promise.reject(new CancelledError(`Run '${params.runId}' was cancelled before it started`));
    const worker = this.#pick();
    if (worker) return Promise.resolve(this.#reserve(worker));
    return new Promise<BridgeWorker>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (picked) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(picked);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(new CancelledError(`Run '${params.runId}' was cancelled while waiting for a bridge worker`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** The least-loaded usable worker with a free slot, or a new one if the pool has room. */
  #pick(): BridgeWorker | undefined {
    let best: BridgeWorker | undefined;
    for (const worker of this.#workers) {
      const load = this.#load.get(worker) ?? 0;
      if (load >= this.concurrency || worker.state === 'closing' || worker.state === 'closed') continue;
      if (!best || load < (this.#load.get(best) ?? 0)) best = worker;
    }
    if (best && (this.#load.get(best) ?? 0) === 0) return best;
    return this.#workers.length < this.size ? this.#spawn() : best;
  }

  #reserve(worker: BridgeWorker): BridgeWorker {
    this.#load.set(worker, (this.#load.get(worker) ?? 0) + 1);
    return worker;
  }

  #release(worker: BridgeWorker): void {
    this.#load.set(worker, Math.max(0, (this.#load.get(worker) ?? 1) - 1));
    this.#wake();
  }

  #wake(): void {
    while (this.#waiters.length > 0 && !this.#closed) {
      const worker = this.#pick();
      if (!worker) return;
      this.#waiters.shift()!.resolve(this.#reserve(worker));
    }
  }

  #spawn(): BridgeWorker {
    const worker = new BridgeWorker(this.#workerOptions);
    this.#started += 1;
    this.#workers.push(worker);
    this.#load.set(worker, 0);
    void worker.exited.then(() => {
      const index = this.#workers.indexOf(worker);
      if (index >= 0) this.#workers.splice(index, 1);
      this.#load.delete(worker);
      if (!this.#closed) this.#lost += 1;
      this.#wake(); // a waiter may now start a replacement
    });
    return worker;
  }
}
