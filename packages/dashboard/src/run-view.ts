import type { CheckpointRecord, SerializedError } from '@baton/core';
import type { DashboardHost, GraphStep, RunGraph } from './types.js';

/** Characters of a value's JSON shown before "show all". */
export const PREVIEW_CHARS = 2_000;

/** A value for display: its JSON text, cut to {@link PREVIEW_CHARS} (the full value is in the record). */
export interface ValuePreview {
  /** JSON text (or `undefined` when there is no value). */
  text: string;
  /** Length of the full JSON text. */
  size: number;
  truncated: boolean;
}

/** An error with its classification. */
export interface ShownError extends SerializedError {
  classification?: string;
  /** True when the record held no classification and it was derived now. */
  classificationDerived?: boolean;
  /** The step's breaker (and every fallback's) refused the call: no agent ran. */
  breakerRefused?: boolean;
}

/** One execution of a step: one step record (a resume can add another). */
export interface StepExecution {
  seq: number;
  status: string;
  attempts: number;
  /** When the step started (its record's time less its duration), epoch ms. */
  startedAt: number;
  endedAt: number;
  durationMs: number;
  output?: ValuePreview;
  error?: ShownError;
  meta?: ValuePreview;
}

/** A step of the run page: the DAG node, the drawer's content. */
export interface StepView {
  id: string;
  needs: readonly string[];
  fallbacks: readonly string[];
  /** The latest execution's status, else `pending`. */
  status: string;
  /** The input the step received is not recorded; what its `needs` produced is, and is shown as such. */
  executions: StepExecution[];
}

/** One bar or mark of the timeline. */
export interface TimelineItem {
  seq: number;
  kind: 'run.started' | 'run.resumed' | 'run.finished' | 'step';
  stepId?: string;
  status?: string;
  /** ms since the run started. */
  startMs: number;
  endMs: number;
  attempts?: number;
  /**
   * ms between the end of everything this step needs (or the start of its execution) and its own start:
   * where retries' backoff and limit waits show (the records hold each step's total, not each attempt's).
   */
  waitMs?: number;
}

/** Everything the run page shows. */
export interface RunView {
  runId: string;
  workflow: CheckpointRecord['workflow'];
  status: string;
  note?: string;
  startedAt: number;
  updatedAt: number;
  records: number;
  input: ValuePreview;
  error?: ShownError;
  graph: { source?: string | undefined; note?: string | undefined; fromDefinition: boolean };
  steps: StepView[];
  timeline: TimelineItem[];
  /** Resume and cancel, as this dashboard can offer them. */
  actions: { resume: { ok: boolean; reason?: string }; cancel: boolean };
}

/** The JSON text of a value, cut for display. */
export function preview(value: unknown, max = PREVIEW_CHARS): ValuePreview {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value, null, 2) ?? String(value));
  return text.length > max
    ? { text: text.slice(0, max), size: text.length, truncated: true }
    : { text, size: text.length, truncated: false };
}

function shownError(error: SerializedError, host: DashboardHost): ShownError {
  const { stack: _stack, ...rest } = error;
  const shown: ShownError = { ...rest };
  const classified = error.kind
    ? { kind: error.kind, derived: false }
    : host.classify
      ? host.classify(error)
      : undefined;
  if (classified) {
    shown.classification = classified.kind;
    if (classified.derived) shown.classificationDerived = true;
  }
  if (error.code === 'BATON_CIRCUIT_OPEN') shown.breakerRefused = true;
  return shown;
}

/** Builds the run page's data from a run's records and its workflow definition (when found). */
export function buildRunView(
  records: readonly CheckpointRecord[],
  graph: RunGraph,
  host: DashboardHost,
  shown: { status: string; note?: string | undefined },
): Omit<RunView, 'actions'> {
  const first = records[0]!;
  const last = records.at(-1)!;
  const defined = new Map<string, GraphStep>((graph.steps ?? []).map((step) => [step.id, step]));
  const steps = new Map<string, StepView>();
  for (const step of defined.values()) {
    steps.set(step.id, {
      id: step.id,
      needs: step.needs,
      fallbacks: step.fallbacks ?? [],
      status: 'pending',
      executions: [],
    });
  }
  const timeline: TimelineItem[] = [];
  let executionStart = first.at;
  const endedAt = new Map<string, number>();
  let runError: ShownError | undefined;
  for (const record of records) {
    const offset = record.at - first.at;
    if (record.type === 'run.started' || record.type === 'run.resumed') {
      executionStart = record.at;
      timeline.push({ seq: record.seq, kind: record.type, startMs: offset, endMs: offset });
      continue;
    }
    if (record.type === 'run.finished') {
      if (record.error) runError = shownError(record.error, host);
      timeline.push({ seq: record.seq, kind: record.type, status: record.status, startMs: offset, endMs: offset });
      continue;
    }
    // Waits (`wait.started`, `input.received`) are not drawn yet: the dashboard predates them (see README).
    if (record.type !== 'step') continue;
    let step = steps.get(record.stepId);
    if (!step) {
      step = { id: record.stepId, needs: [], fallbacks: [], status: 'pending', executions: [] };
      steps.set(record.stepId, step);
    }
    const startedAt = record.at - record.durationMs;
    const execution: StepExecution = {
      seq: record.seq,
      status: record.status,
      attempts: record.attempt,
      startedAt,
      endedAt: record.at,
      durationMs: record.durationMs,
    };
    if (record.output !== undefined) execution.output = preview(record.output);
    if (record.error) execution.error = shownError(record.error, host);
    if (record.meta) execution.meta = preview(record.meta);
    step.executions.push(execution);
    step.status = record.status;
    const ready = Math.max(executionStart, ...step.needs.map((need) => endedAt.get(need) ?? executionStart));
    endedAt.set(record.stepId, record.at);
    timeline.push({
      seq: record.seq,
      kind: 'step',
      stepId: record.stepId,
      status: record.status,
      startMs: startedAt - first.at,
      endMs: offset,
      attempts: record.attempt,
      waitMs: Math.max(0, startedAt - ready),
    });
  }
  // Steps still pending while the run is executing are the ones it is working on or waiting to start.
  const view: Omit<RunView, 'actions'> = {
    runId: first.runId,
    workflow: last.workflow,
    status: shown.status,
    startedAt: first.at,
    updatedAt: last.at,
    records: records.length,
    input: preview(first.type === 'run.started' ? first.input : undefined),
    graph: { source: graph.source, note: graph.note, fromDefinition: graph.steps !== undefined },
    steps: [...steps.values()],
    timeline,
  };
  if (shown.note) view.note = shown.note;
  if (runError) view.error = runError;
  return view;
}
