import { resolveRetryPolicy, type RetryOptions, type RunResult, type Supervisor, type Workflow } from '@baton/core';
import { createLiveDisplay } from '../display/live-display.js';
import { createPlainLog } from '../display/plain-log.js';
import { paletteFor } from '../display/format.js';
import { silentReporter, type ProgressReporter } from '../display/reporter.js';
import { StepBoard } from '../display/step-board.js';
import type { ExitCodeValue } from '../exit-codes.js';
import { exitCodeOf, formatSummary, resultToJson } from './result-output.js';
import { cancelOnSignals } from './signals.js';

/** How `run` and `resume` show progress and results. */
export interface OutputOptions {
  /** Print the result as JSON on stdout. */
  json?: boolean;
  /** No progress display. */
  quiet?: boolean;
  /** Extra flags for the printed `baton resume` / `runs show` hints (e.g. ` --config x`). */
  hint?: string;
  /** The supervisor's retry defaults (from the config), to show "attempt n of m". */
  retryDefaults?: RetryOptions | undefined;
}

/**
 * Runs `start` (a `supervisor.run` or `resume` call) with progress on stderr
 * (live display on a terminal, plain log otherwise), Ctrl-C wired to
 * cancellation, and the result on stdout. Returns the exit code.
 */
export async function executeWithDisplay(
  supervisor: Supervisor,
  workflow: Workflow,
  start: (signal: AbortSignal) => Promise<RunResult>,
  output: OutputOptions,
): Promise<ExitCodeValue> {
  const board = new StepBoard(stepsOf(workflow, output.retryDefaults));
  const reporter = createReporter(board, workflow, output);
  const off = supervisor.on('*', (event) => reporter.onEvent(event));
  const controller = new AbortController();
  const removeSignals = cancelOnSignals(controller, (signal) => {
    reporter.note(
      `${signal}: cancelling run ${board.runId ?? ''}, checkpointing it as cancelled (press Ctrl-C again to quit at once)`,
    );
  });
  let result: RunResult | undefined;
  try {
    result = await start(controller.signal);
  } finally {
    removeSignals();
    off();
    reporter.finish({ keep: result !== undefined });
    await supervisor.close();
  }
  const text = output.json
    ? JSON.stringify(resultToJson(result), null, 2)
    : formatSummary(result, workflow, paletteFor(process.stdout), output.hint ?? '');
  process.stdout.write(`${text}\n`);
  return exitCodeOf(result.status);
}

function createReporter(board: StepBoard, workflow: Workflow, output: OutputOptions): ProgressReporter {
  if (output.quiet) return { ...silentReporter, onEvent: (event) => void board.apply(event) };
  const stream = process.stderr;
  if (stream.isTTY)
    return createLiveDisplay(
      board,
      stream,
      () => `${workflow.name}@${workflow.version}${board.runId ? `  run ${board.runId}` : ''}`,
    );
  return createPlainLog(board, (line) => stream.write(`${line}\n`));
}

function stepsOf(workflow: Workflow, defaults: RetryOptions | undefined): { id: string; maxAttempts: number }[] {
  // The same layering as the supervisor's plan: supervisor defaults, then the workflow's, then the step's.
  return Object.entries(workflow.steps).map(([id, step]) => ({
    id,
    maxAttempts: resolveRetryPolicy(defaults, workflow.options.retry, step.retry).maxAttempts,
  }));
}
