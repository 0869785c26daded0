import type { SupervisorEvent } from '@baton/core';
import { formatDuration } from './format.js';
import type { ProgressReporter } from './reporter.js';
import { oneLine, type StepBoard } from './step-board.js';

/**
 * The display when the output is not a terminal: one plain line per event
 * (`[+1.2s] search: retrying 2 of 3 in 400ms: ECONNRESET`), easy to grep and to keep in CI logs.
 */
export function createPlainLog(
  board: StepBoard,
  write: (line: string) => void,
  startedAt: number = Date.now(),
): ProgressReporter {
  return {
    onEvent(event) {
      const row = board.apply(event);
      const line = describeEvent(event, row?.maxAttempts ?? 0);
      if (line) write(`[+${formatDuration(event.at - startedAt)}] ${line}`);
    },
    note(message) {
      write(message);
    },
    finish() {},
  };
}

/** The log line for an event, or undefined for events not worth a line. */
export function describeEvent(event: SupervisorEvent, maxAttempts: number): string | undefined {
  switch (event.type) {
    case 'run.started':
      return `run ${event.runId} ${event.resumed ? 'resumed' : 'started'}: ${event.workflow.name}@${event.workflow.version}, ${event.stepCount} steps`;
    case 'run.completed':
      return `run ${event.runId} ${event.status.replace('_', ' ')} in ${formatDuration(event.durationMs)}${event.failedStep ? ` (step ${event.failedStep})` : ''}`;
    case 'step.started':
      return `${event.stepId}: running (attempt ${event.attempt} of ${maxAttempts})`;
    case 'step.retrying':
      return `${event.stepId}: retrying ${event.attempt + 1} of ${maxAttempts} in ${formatDuration(event.delayMs)}: ${oneLine(event.error.message)} [${event.classification.kind}]`;
    case 'step.succeeded':
      return `${event.stepId}: done in ${formatDuration(event.durationMs)}`;
    case 'step.failed':
      return `${event.stepId}: ${event.status === 'timed_out' ? 'timed out' : 'failed'} after ${event.attempt} attempt(s): ${oneLine(event.error.message)} [${event.classification.kind}]`;
    case 'step.cancelled':
      return `${event.stepId}: ${event.status === 'timed_out' ? 'timed out (run deadline)' : 'cancelled'} after ${formatDuration(event.durationMs)}`;
    case 'step.skipped':
      return `${event.stepId}: skipped (${event.reason === 'condition' ? '`when` was false' : 'dependencies skipped'})`;
    case 'step.restored':
      return `${event.stepId}: restored from checkpoint (${event.status})`;
    case 'step.progress':
      return `${event.stepId}: ${oneLine(typeof event.data === 'string' ? event.data : (JSON.stringify(event.data) ?? ''))}`;
    case 'step.fallback':
      return `${event.stepId}: fell back from ${event.from} to ${event.to}`;
    case 'breaker.opened':
    case 'breaker.closed':
      return `circuit breaker ${event.key} ${event.type === 'breaker.opened' ? 'opened' : 'closed'}: ${event.reason}`;
    case 'checkpoint.warning':
      return `checkpoint warning ${event.code}: ${event.message}`;
    default:
      return undefined;
  }
}
