import { BridgeCrashError } from '../errors/bridge-crash-error.js';
import { BridgeSpawnError } from '../errors/bridge-spawn-error.js';
import type { WorkerExit } from './worker-process.js';

/** What is known when a worker dies. */
export interface DeathContext {
  exit: WorkerExit;
  /** The reason recorded before the worker was killed on purpose (protocol error, hang, close). */
  failure: Error | undefined;
  /** Died before answering `initialize`. */
  wasStarting: boolean;
  pid: number | undefined;
  python: string;
  stderrTail: string;
}

/**
 * The error pending calls fail with when their worker dies: the recorded reason if it was killed
 * on purpose; a fatal {@link BridgeSpawnError} if it never started; else a retryable
 * {@link BridgeCrashError}.
 */
export function deathError(context: DeathContext): Error {
  const { exit, failure, pid, python, stderrTail } = context;
  if (failure) return failure; // it captured the stderr tail when it was recorded
  if (exit.spawnError) {
    const code = (exit.spawnError as NodeJS.ErrnoException).code;
    return new BridgeSpawnError({
      message: `Could not start Python '${python}' (${code ?? exit.spawnError.message}); set the 'python' option or BATON_PYTHON`,
      python,
      cause: exit.spawnError,
    });
  }
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  if (context.wasStarting) {
    const hint = /No module named '?baton_bridge/.test(stderrTail)
      ? " (baton_bridge is not importable: keep useBundledPython, or pip install the bridge's Python package)"
      : '';
    return new BridgeSpawnError({
      message: `Bridge worker ${pid} ${how} before it was ready${hint}`,
      python,
      exitCode: exit.code,
      stderrTail,
    });
  }
  return new BridgeCrashError({
    message: `Bridge worker ${pid} ${how}`,
    reason: exit.signal ? 'signal' : 'exit',
    exitCode: exit.code,
    signal: exit.signal,
    pid,
    stderrTail,
  });
}
