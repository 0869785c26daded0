import { CancelledError } from '@baton/core';
import {
  JSONRPCClient,
  createJSONRPCErrorResponse,
  type JSONRPCID,
  type JSONRPCRequest,
  type JSONRPCResponse,
} from 'json-rpc-2.0';
import { BridgeClosedError } from '../errors/bridge-closed-error.js';
import { BridgeConfigError } from '../errors/bridge-config-error.js';
import { BridgeCrashError } from '../errors/bridge-crash-error.js';
import { BridgeProtocolError } from '../errors/bridge-protocol-error.js';
import { BridgeSpawnError } from '../errors/bridge-spawn-error.js';
import { fromWireError } from '../errors/from-wire-error.js';
import { PROTOCOL_VERSION, RpcErrorCode } from '../protocol/constants.js';
import {
  initializeResultSchema,
  runResultSchema,
  type InitializeResult,
  type ProgressParams,
  type RunParams,
  type RunResultWire,
} from '../protocol/types.js';
import { abortable, raceTimeout } from './abortable.js';
import { classifyFrame } from './classify-frame.js';
import { RecentKeys } from './recent-keys.js';
import { deathError } from './death-error.js';
import {
  resolveWorkerOptions,
  type BridgeWorkerOptions,
  type BridgeWorkerOptionsWithDefaults,
} from './worker-options.js';
import { WorkerProcess, type WorkerExit } from './worker-process.js';

/** Lifecycle of a worker: spawning/initializing, serving, shutting down, gone. */
export type BridgeWorkerState = 'starting' | 'ready' | 'closing' | 'closed';

/** Per-call options of {@link BridgeWorker.run}. */
export interface BridgeRunOptions {
  /** Aborting sends `cancel`, waits `killGraceMs` for the run to stop, then kills the worker. */
  signal?: AbortSignal;
  /** Receives each progress event, in order, before the run settles. */
  onProgress?: (event: unknown) => void;
}

interface PendingCall {
  resolve(result: unknown): void;
  reject(error: Error): void;
  /** The run's callId, for `run` requests: its reply closes the run's progress stream. */
  callId?: string;
  /** Set once an aborted run is being killed: it reports cancellation, not a crash. */
  abortError?: Error;
  graceTimer?: NodeJS.Timeout;
}

interface ActiveRun {
  onProgress: ((event: unknown) => void) | undefined;
  lastSeq: number;
  /** The worker's reply was read: any later progress for this call is a violation. */
  replied: boolean;
  /** Set when the worker broke the protocol on this call after replying (progress after the reply). */
  violation?: BridgeProtocolError;
}

let nextWorkerId = 1;

/**
 * One Python worker speaking the bridge protocol on stdio. Pending calls always settle: with a
 * reply, or with a classified error when the worker crashes, hangs, or breaks the protocol.
 */
export class BridgeWorker {
  /** Process-unique worker number (for logs and stats). */
  readonly id = nextWorkerId++;
  /** Resolves with the worker's `initialize` result once it is ready to serve. */
  readonly ready: Promise<InitializeResult>;
  /** Resolves once the process is gone and every pending call has been failed. */
  readonly exited: Promise<void>;
  readonly options: BridgeWorkerOptionsWithDefaults;
  #state: BridgeWorkerState = 'starting';
  #info: InitializeResult | undefined;
  readonly #process: WorkerProcess;
  readonly #rpc: JSONRPCClient;
  readonly #calls = new Map<number, PendingCall>();
  readonly #runs = new Map<string, ActiveRun>();
  readonly #sendErrors = new Map<number, Error>();
  #nextRequestId = 1;
  #failure: Error | undefined;
  /** The first protocol violation: from then on every frame from this worker is ignored. */
  #broken: BridgeProtocolError | undefined;
  readonly #repliedIds = new RecentKeys<number>();
  readonly #repliedCallIds = new RecentKeys<string>();
  #pingTimer: NodeJS.Timeout | undefined;
  #pingInFlight = false;

  constructor(options: BridgeWorkerOptions = {}) {
    this.options = resolveWorkerOptions(options);
    this.#rpc = new JSONRPCClient((payload: JSONRPCRequest) => this.#send(payload));
    this.#process = new WorkerProcess(this.options, {
      onLine: (line) => this.#onLine(line),
      onOversize: (bytes, head) =>
        this.#violation(`frame of ${bytes}+ bytes exceeds maxFrameBytes (${this.options.maxFrameBytes})`, head),
    });
    this.exited = this.#process.exited.then((exit) => this.#onExit(exit));
    this.ready = this.#initialize();
    this.ready.catch(() => undefined); // observed by run()/the pool; never an unhandled rejection
    this.#updateRef();
  }

  /** OS process id. */
  get pid(): number | undefined {
    return this.#process.pid;
  }

  get state(): BridgeWorkerState {
    return this.#state;
  }

  /** What the worker reported at `initialize` (undefined until ready). */
  get info(): InitializeResult | undefined {
    return this.#info;
  }

  /** Runs in flight on this worker. */
  get activeRuns(): number {
    return this.#runs.size;
  }

  /**
   * False once the worker's stderr pipe has closed. After `exited`, true means some process the
   * worker started still holds it (see "What escapes close()" in the README).
   */
  get stderrOpen(): boolean {
    return this.#process.stderrOpen;
  }

  /** The worker's recent stderr. */
  get stderrTail(): string {
    return this.#process.stderr.toString();
  }

  /** Sends `run` and resolves with its result; progress goes to `onProgress`. */
  async run(params: RunParams, options: BridgeRunOptions = {}): Promise<RunResultWire> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw cancelledBeforeStart(params);
    await abortable(this.ready, signal, () => cancelledBeforeStart(params));
    if (this.#runs.has(params.callId))
      throw new BridgeConfigError({ message: `callId '${params.callId}' is already running on worker ${this.pid}` });
    const active: ActiveRun = { onProgress, lastSeq: 0, replied: false };
    this.#runs.set(params.callId, active);
    const { id, promise } = this.#request('run', params, params.callId);
    const onAbort = (): void => this.#abortRun(id, params);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const raw = await promise;
      // Progress after this run's reply, read in the same chunk: the value is the broken worker's.
      if (active.violation) throw active.violation;
      if (signal?.aborted) throw new CancelledError(`Run '${params.runId}' (call ${params.callId}) was cancelled`);
      const parsed = runResultSchema.safeParse(raw);
      if (!parsed.success) {
        const problem = `run result is not { output, usage? }: ${parsed.error.message}`;
        throw this.#violation(problem, JSON.stringify(raw), parsed.error);
      }
      return parsed.data;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#runs.delete(params.callId);
    }
  }

  /**
   * Asks the worker to cancel the run with `callId` (idempotent). True if it was in flight.
   * The run's own promise then rejects with `CancelledError` once the Python side stopped it;
   * unlike aborting a run's signal, this never kills the worker.
   */
  async cancel(callId: string): Promise<boolean> {
    const result = await this.#request('cancel', { callId }).promise;
    return (result as { cancelled?: unknown } | null)?.cancelled === true;
  }

  /** Sends `ping`; rejects (and kills the worker) if no answer within `timeoutMs`. */
  async ping(timeoutMs = this.options.pingTimeoutMs): Promise<unknown> {
    const { promise } = this.#request('ping', {});
    const timer = setTimeout(
      () =>
        this.#fail(
          new BridgeCrashError({
            message: `Bridge worker ${this.pid} did not answer a ping within ${timeoutMs} ms; killed it`,
            reason: 'unresponsive',
            pid: this.pid,
            stderrTail: this.stderrTail,
          }),
        ),
      timeoutMs,
    );
    try {
      return await promise;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Graceful stop: `shutdown`, close stdin, then SIGTERM/SIGKILL after grace periods. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    if (this.#state === 'closing') return this.exited;
    this.#state = 'closing';
    this.#failure ??= new BridgeClosedError(`Bridge worker ${this.pid}`);
    this.#stopPings();
    this.#process.snapshotDescendants(); // a second net behind the worker's own sweep
    const grace = this.options.killGraceMs;
    const shutdown = this.#request('shutdown', {}).promise.catch(() => undefined);
    await raceTimeout(shutdown, grace);
    this.#process.endInput();
    if (
      !(await raceTimeout(
        this.#process.exited.then(() => true),
        grace,
      ))
    )
      await this.#process.terminate(grace);
    await this.exited;
  }

  /** Kills the worker's process group now (SIGTERM, grace, SIGKILL); pending calls fail with `reason`. */
  kill(reason?: Error): Promise<void> {
    if (reason) this.#failure ??= reason;
    if (this.#state !== 'closed') this.#state = 'closing';
    this.#stopPings();
    void this.#process.terminate(this.options.killGraceMs);
    return this.exited;
  }

  async #initialize(): Promise<InitializeResult> {
    const timeoutMs = this.options.initializeTimeoutMs;
    const timer = setTimeout(
      () =>
        this.#fail(
          new BridgeSpawnError({
            message: `Bridge worker ${this.pid} did not answer initialize within ${timeoutMs} ms (initializeTimeoutMs)`,
            python: this.options.python,
            stderrTail: this.stderrTail,
          }),
        ),
      timeoutMs,
    );
    try {
      const raw = await this.#request('initialize', {
        protocolVersion: PROTOCOL_VERSION,
        client: { name: '@baton/bridge' },
        runners: this.options.runners ?? [],
      }).promise;
      const parsed = initializeResultSchema.safeParse(raw);
      if (!parsed.success) {
        const problem = `initialize result is malformed: ${parsed.error.message}`;
        throw this.#violation(problem, JSON.stringify(raw), parsed.error);
      }
      if (parsed.data.protocolVersion !== PROTOCOL_VERSION) {
        throw this.#violation(`worker speaks protocol ${parsed.data.protocolVersion}, this client ${PROTOCOL_VERSION}`);
      }
      if (this.#state !== 'starting') throw this.#failure ?? new BridgeClosedError(`Bridge worker ${this.pid}`);
      this.#info = parsed.data;
      this.#state = 'ready';
      this.#startPings();
      return parsed.data;
    } catch (error) {
      if (BridgeProtocolError.isInstance(error)) this.#fail(error);
      else void this.kill(error as Error);
      throw error;
    } finally {
      clearTimeout(timer);
      this.#updateRef();
    }
  }

  #request(method: string, params: unknown, callId?: string): { id: number; promise: Promise<unknown> } {
    const id = this.#nextRequestId++;
    const promise = new Promise<unknown>((resolve, reject) => {
      if (this.#state === 'closed') return reject(this.#failure ?? new BridgeClosedError(`Bridge worker ${this.pid}`));
      if (this.#broken) return reject(this.#broken);
      this.#calls.set(id, { resolve, reject, callId });
      this.#updateRef();
      // Replies from the worker settle the call synchronously in #onReply; this path only sees
      // the library's own error responses (a send that threw) and copies already settled.
      void this.#rpc.requestAdvanced({ jsonrpc: '2.0', id, method, params }).then((response) => {
        const call = this.#calls.get(id);
        if (!call) return; // already settled or failed (worker died); the library's copy is just dropped
        this.#settle(id);
        if (!response.error) return resolve(response.result);
        reject(this.#sendErrors.get(id) ?? fromWireError(response.error, { pid: this.pid }));
        this.#sendErrors.delete(id);
      });
    });
    return { id, promise };
  }

  #settle(id: number): void {
    const call = this.#calls.get(id);
    clearTimeout(call?.graceTimer);
    this.#calls.delete(id);
    this.#updateRef();
  }

  #send(payload: JSONRPCRequest | JSONRPCResponse): void {
    const frame = `${JSON.stringify(payload)}\n`;
    const bytes = Buffer.byteLength(frame);
    const id = typeof payload.id === 'number' ? payload.id : undefined;
    let error: Error | undefined;
    if (bytes > this.options.maxFrameBytes) {
      error = new BridgeConfigError({
        message: `Request '${(payload as JSONRPCRequest).method}' is ${bytes} bytes, over maxFrameBytes (${this.options.maxFrameBytes})`,
        rpcCode: RpcErrorCode.FrameTooLarge,
      });
    } else if (!this.#process.write(frame)) {
      error = this.#failure ?? new BridgeClosedError(`Bridge worker ${this.pid}`);
    }
    if (error) {
      if (id !== undefined) this.#sendErrors.set(id, error);
      throw error;
    }
  }

  #onLine(line: string): void {
    // After a violation nothing this worker wrote counts, even frames buffered in the same chunk.
    if (this.#broken) return;
    const frame = classifyFrame(line);
    switch (frame.kind) {
      case 'reply':
        return this.#onReply(frame.message, line);
      case 'progress':
        return this.#onProgress(frame.params, line);
      case 'request':
        return this.#refuseRequest(frame.id, frame.method);
      case 'notification':
        return;
      case 'invalid':
        return void this.#violation(frame.reason, line, frame.cause);
    }
  }

  /** The worker makes no requests in this protocol version; answer rather than leave it waiting. */
  #refuseRequest(id: JSONRPCID, method: string): void {
    try {
      this.#send(createJSONRPCErrorResponse(id, RpcErrorCode.MethodNotFound, `Unknown method '${method}'`));
    } catch {
      // The worker is gone; its exit is reported elsewhere.
    }
  }

  /** Settles the call synchronously, in stream order, so a later violation cannot be outrun. */
  #onReply(message: JSONRPCResponse, line: string): void {
    const id = message.id;
    const call = typeof id === 'number' ? this.#calls.get(id) : undefined;
    if (typeof id !== 'number' || !call) {
      const duplicate = typeof id === 'number' && this.#repliedIds.has(id);
      return void this.#violation(
        `${duplicate ? 'duplicate reply' : 'reply'} to request id ${JSON.stringify(id)}` +
          (duplicate ? '' : ', which is not pending'),
        line,
      );
    }
    this.#settle(id);
    this.#repliedIds.add(id);
    if (call.callId !== undefined) {
      this.#repliedCallIds.add(call.callId);
      const run = this.#runs.get(call.callId);
      if (run) run.replied = true;
    }
    this.#rpc.receive(message); // drops the library's copy of the request; its callback finds no call
    if (message.error) call.reject(fromWireError(message.error, { pid: this.pid }));
    else call.resolve(message.result);
  }

  #onProgress(params: ProgressParams, line: string): void {
    const { callId, seq } = params;
    const run = this.#runs.get(callId);
    if (!run || run.replied) {
      // The Python side never emits after a run's reply (Run.emit checks `closed`), and a call
      // only settles on our side before its reply when the worker is gone.
      const after = run?.replied === true || this.#repliedCallIds.has(callId);
      const what = after ? 'after its reply' : 'that was never started';
      const error = this.#violation(`progress for call ${JSON.stringify(callId)} ${what}`, line);
      if (run) run.violation = error;
      return;
    }
    if (seq !== run.lastSeq + 1) {
      return void this.#violation(`progress seq ${seq} after ${run.lastSeq} for call ${callId}`, line);
    }
    run.lastSeq = seq;
    try {
      run.onProgress?.(params.event);
    } catch {
      // A throwing listener must not break the protocol stream.
    }
  }

  #abortRun(id: number, params: RunParams): void {
    const call = this.#calls.get(id);
    if (!call) return;
    const grace = this.options.killGraceMs;
    call.abortError = new CancelledError(
      `Run '${params.runId}' (call ${params.callId}) was cancelled; worker ${this.pid} did not stop it within ${grace} ms and was killed`,
    );
    this.#rpc.notify('cancel', { callId: params.callId });
    call.graceTimer = setTimeout(
      () =>
        void this.kill(
          new BridgeCrashError({
            message: `Bridge worker ${this.pid} was killed: a cancelled run did not stop within ${grace} ms`,
            reason: 'killed',
            pid: this.pid,
            stderrTail: this.stderrTail,
          }),
        ),
      grace,
    );
  }

  /**
   * Records a protocol violation: the worker is broken from now on. Every pending call fails
   * with the error at once (before any later frame could settle it), and the worker is killed.
   * Returns the error for callers to throw.
   */
  #violation(message: string, frame?: string, cause?: unknown): BridgeProtocolError {
    if (this.#broken) return this.#broken;
    const error = new BridgeProtocolError({
      message: `Bridge worker ${this.pid} broke the protocol: ${message}`,
      frame,
      pid: this.pid,
      stderrTail: this.stderrTail,
      cause,
    });
    this.#broken = error;
    for (const [id, call] of [...this.#calls]) {
      this.#settle(id);
      call.reject(error);
    }
    this.#fail(error);
    return error;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    void this.kill();
  }

  #onExit(exit: WorkerExit): void {
    const wasStarting = this.#state === 'starting';
    this.#state = 'closed';
    this.#stopPings();
    const error = deathError({
      exit,
      failure: this.#failure,
      wasStarting,
      pid: this.pid,
      python: this.options.python,
      stderrTail: this.stderrTail,
    });
    for (const [id, call] of [...this.#calls]) {
      this.#settle(id);
      call.reject(call.abortError ?? error);
    }
    this.#rpc.rejectAllPendingRequests('worker exited');
    this.#sendErrors.clear();
    this.#process.setRef(false);
  }

  #startPings(): void {
    this.#pingTimer = setInterval(() => {
      if (this.#pingInFlight || this.#state !== 'ready') return;
      this.#pingInFlight = true;
      this.ping()
        .catch(() => undefined)
        .finally(() => {
          this.#pingInFlight = false;
        });
    }, this.options.pingIntervalMs);
    this.#pingTimer.unref();
  }

  #stopPings(): void {
    clearInterval(this.#pingTimer);
  }

  #updateRef(): void {
    if (this.#state === 'closed') return;
    // Keep Node alive only while someone waits on this worker; an idle pool must not block exit.
    this.#process.setRef(this.#calls.size > (this.#pingInFlight ? 1 : 0) || this.#state === 'closing');
  }
}

function cancelledBeforeStart(params: RunParams): CancelledError {
  return new CancelledError(`Run '${params.runId}' (call ${params.callId}) was cancelled before it started`);
}
