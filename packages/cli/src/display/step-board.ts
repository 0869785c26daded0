import type { SupervisorEvent } from '@baton/core';

/** What a step row shows. */
export type RowState =
  | 'waiting'
  | 'running'
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'timed_out'
  | 'skipped'
  | 'cancelled';

/** One step of the live display. */
export interface StepRow {
  id: string;
  state: RowState;
  /** Current (or last) attempt, 1-based; 0 before the step starts. */
  attempt: number;
  /** Attempts the retry policy allows. */
  maxAttempts: number;
  /** Epoch ms when the step first started in this process. */
  startedAt?: number;
  durationMs?: number;
  /** The error of the last failed attempt (shown while retrying and when failed). */
  error?: string;
  /** When the next attempt starts, while retrying. */
  retryAt?: number;
  /** Why it is skipped or waiting, or that it was restored from the checkpoint. */
  note?: string;
  /** Last `step.progress` payload, shortened. */
  progress?: string;
  /** The fallback agent in use after the primary's breaker opened. */
  via?: string;
}

/**
 * The state of a run as the display shows it, fed with supervisor events.
 * Pure (no I/O, no clock of its own), so the live display and the plain log share it.
 */
export class StepBoard {
  readonly rows: StepRow[];
  private readonly byId = new Map<string, StepRow>();
  runId: string | undefined;
  resumed = false;
  finished: Extract<SupervisorEvent, { type: 'run.completed' }> | undefined;

  constructor(steps: readonly { id: string; maxAttempts: number }[]) {
    this.rows = steps.map((step) => ({ id: step.id, state: 'waiting', attempt: 0, maxAttempts: step.maxAttempts }));
    for (const row of this.rows) this.byId.set(row.id, row);
  }

  /** Applies one event; returns the row it changed, if any. */
  apply(event: SupervisorEvent): StepRow | undefined {
    if (event.type === 'run.started') {
      this.runId = event.runId;
      this.resumed = event.resumed;
      return undefined;
    }
    if (event.type === 'run.completed') {
      this.finished = event;
      return undefined;
    }
    if (!('stepId' in event)) return undefined;
    const row = this.byId.get(event.stepId);
    if (row) applyStepEvent(row, event);
    return row;
  }
}

type StepEvent = Extract<SupervisorEvent, { stepId: string }>;

function applyStepEvent(row: StepRow, event: StepEvent): void {
  switch (event.type) {
    case 'step.started':
      Object.assign(row, { state: 'running', attempt: event.attempt, retryAt: undefined, note: undefined });
      row.startedAt ??= event.at;
      return;
    case 'step.retrying':
      Object.assign(row, {
        state: 'retrying',
        attempt: event.attempt,
        error: oneLine(event.error.message),
        retryAt: event.at + event.delayMs,
      });
      return;
    case 'step.succeeded':
      Object.assign(row, {
        state: 'succeeded',
        attempt: event.attempt,
        durationMs: event.durationMs,
        error: undefined,
        progress: undefined,
      });
      return;
    case 'step.failed':
      Object.assign(row, {
        state: event.status,
        attempt: event.attempt,
        durationMs: event.durationMs,
        error: `${oneLine(event.error.message)} [${event.classification.kind}]`,
      });
      return;
    case 'step.cancelled':
      // A step stopped by the run's deadline is timed_out, as in the run result and in @baton/otel.
      Object.assign(row, {
        state: event.status,
        attempt: event.attempt,
        durationMs: event.durationMs,
        ...(event.status === 'timed_out' ? { error: 'stopped by the run deadline' } : {}),
      });
      return;
    case 'step.skipped':
      Object.assign(row, {
        state: 'skipped',
        note: event.reason === 'condition' ? '`when` was false' : 'dependencies skipped',
      });
      return;
    case 'step.restored':
      applyRestored(row, event.status);
      return;
    default:
      applyMinorEvent(row, event);
  }
}

function applyRestored(row: StepRow, status: string): void {
  const state: RowState = status === 'succeeded' || status === 'skipped' ? status : 'waiting';
  Object.assign(row, { state, note: state === 'waiting' ? undefined : 'restored from checkpoint' });
}

function applyMinorEvent(row: StepRow, event: StepEvent): void {
  if (event.type === 'step.progress') row.progress = describeProgress(event.data);
  else if (event.type === 'step.waiting')
    row.note = `waiting for ${event.reason === 'rate' ? 'rate limit' : 'a concurrency slot'} (${event.key})`;
  else if (event.type === 'step.fallback') row.via = event.to;
  else if (event.type === 'step.timed_out')
    row.error = `attempt ${event.attempt} timed out after ${event.timeoutMs} ms`;
}

function describeProgress(data: unknown): string {
  if (typeof data === 'string') return oneLine(data);
  if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string') {
    return oneLine((data as { message: string }).message);
  }
  return oneLine(JSON.stringify(data) ?? String(data));
}

/** First line of `text`, at most 120 characters. */
export function oneLine(text: string): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}
