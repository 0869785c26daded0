import { spawn, type ChildProcess } from 'node:child_process';
import { bundledPythonPath } from './bundled-python-path.js';
import { findDescendants, signalProcesses, type ProcessIdentity } from './descendants.js';
import { LineSplitter } from './line-splitter.js';
import { signalProcessGroup } from './process-group.js';
import { StderrTail } from './stderr-tail.js';
import type { BridgeWorkerOptionsWithDefaults } from './worker-options.js';
import { buildWorkerEnv } from './worker-env.js';

/** How a worker process ended. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: Error;
}

/** Callbacks for what the process writes on its protocol stream. */
export interface WorkerProcessHandlers {
  onLine(line: string): void;
  onOversize(bytes: number, head: string): void;
}

// After exit, wait at most this long for stderr to drain: a grandchild may hold the pipe open.
const STDERR_DRAIN_MS = 250;

/**
 * One Python worker process: spawned detached (its own process group), stdout split into
 * capped frames, stderr always drained into a tail buffer, killed group-wide.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  readonly stderr: StderrTail;
  /** Resolves once the process is gone and its stderr drained (bounded). Never rejects. */
  readonly exited: Promise<WorkerExit>;
  #exit: WorkerExit | undefined;
  #killTimer: NodeJS.Timeout | undefined;
  readonly #descendants = new Map<number, ProcessIdentity>();
  #stderrClosed = false;

  constructor(options: BridgeWorkerOptionsWithDefaults, handlers: WorkerProcessHandlers) {
    this.stderr = new StderrTail(options.stderrTailBytes);
    this.child = spawn(options.python, workerArgs(options), {
      cwd: options.cwd,
      env: buildWorkerEnv({
        inheritEnv: options.inheritEnv,
        env: options.env,
        pythonPath: options.pythonPath,
        bundledPythonPath: options.useBundledPython === false ? undefined : bundledPythonPath(),
      }),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const splitter = new LineSplitter(options.maxFrameBytes, handlers.onLine, handlers.onOversize);
    this.child.stdout!.on('data', (chunk: Buffer) => splitter.push(chunk));
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderr.push(chunk);
      options.onStderr?.(chunk, this.child.pid);
    });
    this.child.stderr!.once('close', () => {
      this.#stderrClosed = true;
    });
    this.child.stdin!.on('error', () => undefined); // EPIPE once the worker is gone; the exit handler reports it
    this.exited = this.#watchExit();
  }

  /** The OS process id (undefined if spawning failed). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process has exited. */
  get alive(): boolean {
    return this.#exit === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** False once the worker's stderr pipe closed: no process (worker or descendant) holds it any more. */
  get stderrOpen(): boolean {
    return !this.#stderrClosed;
  }

  /**
   * Records the worker's live descendants (Linux `/proc`; nothing elsewhere), so they can be
   * killed once it exits even if they left its process group (`setsid`). Called while the
   * worker still lives: after it dies its orphans are re-parented away and cannot be found.
   */
  snapshotDescendants(): void {
    if (!this.alive || this.pid === undefined) return;
    for (const identity of findDescendants(this.pid)) this.#descendants.set(identity.pid, identity);
  }

  /** Writes one frame (must end with a newline). False when the input is closed. */
  write(frame: string): boolean {
    const stdin = this.child.stdin!;
    if (!this.alive || stdin.destroyed || stdin.writableEnded) return false;
    stdin.write(frame);
    return true;
  }

  /** Closes the worker's stdin: it cancels its runs and exits. */
  endInput(): void {
    this.child.stdin!.end();
  }

  /** SIGTERM to the process group, then SIGKILL after `graceMs`. Idempotent. */
  terminate(graceMs: number): Promise<WorkerExit> {
    if (this.alive && this.#killTimer === undefined) {
      this.snapshotDescendants();
      signalProcessGroup(this.pid, 'SIGTERM');
      this.#killTimer = setTimeout(() => signalProcessGroup(this.pid, 'SIGKILL'), graceMs);
    }
    return this.exited;
  }

  /** Lets Node exit while the worker idles (`false`), or keeps it alive while calls are pending. */
  setRef(ref: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as const) {
      const target = handle as unknown as { ref?: () => void; unref?: () => void } | null;
      if (ref) target?.ref?.();
      else target?.unref?.();
    }
  }

  #watchExit(): Promise<WorkerExit> {
    return new Promise<WorkerExit>((resolve) => {
      const finish = (exit: WorkerExit): void => {
        if (this.#exit) return;
        this.#exit = exit;
        clearTimeout(this.#killTimer);
        // Children the worker left behind share its process group; they go too, and so do the
        // descendants seen earlier in other groups (the Python side kills its own on shutdown).
        signalProcessGroup(this.pid, 'SIGKILL');
        signalProcesses(this.#descendants.values(), 'SIGKILL');
        this.#descendants.clear();
        const stderr = this.child.stderr!;
        if (stderr.readableEnded || stderr.destroyed) return resolve(exit);
        const timer = setTimeout(() => resolve(exit), STDERR_DRAIN_MS);
        stderr.once('close', () => {
          clearTimeout(timer);
          resolve(exit);
        });
      };
      this.child.once('exit', (code, signal) => finish({ code, signal }));
      this.child.once('error', (error) => {
        if (this.child.pid === undefined) finish({ code: null, signal: null, spawnError: error });
      });
    });
  }
}

function workerArgs(options: BridgeWorkerOptionsWithDefaults): string[] {
  return [
    ...(options.pythonArgs ?? []),
    '-m',
    'baton_bridge',
    '--max-frame-bytes',
    String(options.maxFrameBytes),
    ...(options.preload ?? []).flatMap((module) => ['--preload', module]),
  ];
}
