import { ExitCode } from '../exit-codes.js';

/**
 * Turns the first SIGINT/SIGTERM into `controller.abort()` so the supervisor
 * cancels the run and checkpoints it as cancelled; a second one quits at once
 * (exit 130). Returns a function that removes the handlers.
 */
export function cancelOnSignals(controller: AbortController, onFirst: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(ExitCode.forcedQuit);
    onFirst(signal);
    controller.abort(new Error(`received ${signal}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
