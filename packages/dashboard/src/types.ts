import type { CheckpointRecord, RunSummary, SerializedError } from '@baton/core';

/** Every status the dashboard shows: the store's, plus `interrupted` for an unfinished run whose owner is gone. */
export type DashboardRunStatus = RunSummary['status'] | 'interrupted';

/** Every status the dashboard shows and filters by, in display order (the server checks `?status=` against it, the web app draws its filters from it). */
export const DASHBOARD_STATUSES: readonly DashboardRunStatus[] = [
  'running',
  'interrupted',
  'suspended',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
];

/** Judges an unfinished run by its owner (the CLI's `judgeLiveness`). */
export type JudgeLiveness = (
  runId: string,
  status: RunSummary['status'],
) => Promise<{ status: DashboardRunStatus; note?: string | undefined }>;

/** One step of a run's workflow, as the DAG draws it. */
export interface GraphStep {
  id: string;
  needs: readonly string[];
  /** Agent ids of the step's declared fallbacks, if any. */
  fallbacks?: readonly string[];
}

/** A run's workflow definition as far as the host could find it. */
export interface RunGraph {
  /** Undefined when no definition matching the run was found (the DAG then shows the recorded steps unlinked). */
  steps?: readonly GraphStep[];
  /** Where the definition came from (`file flows/a.yaml`, `registered in baton.config.mjs`). */
  source?: string | undefined;
  /** Why there is none. */
  note?: string | undefined;
}

/** What the store's verify said about a run's log. */
export interface ChainCheck {
  ok: boolean;
  records: number;
  error?: { code?: string | undefined; message: string } | undefined;
}

/** How an action (resume) ended, as the dashboard reports it. */
export interface ActionOutcome {
  status: string;
}

/**
 * What the program embedding the dashboard (the CLI) knows beyond the store. Every member is optional:
 * without one, the matching part of the page says it is unavailable.
 */
export interface DashboardHost {
  /** Judges unfinished runs (`interrupted` when the owner is gone). */
  judge?: JudgeLiveness;
  /** Finds the workflow definition of a run, for its DAG. Must not throw. */
  graph?: (records: readonly CheckpointRecord[]) => Promise<RunGraph>;
  /** Verifies a run's SHA-256 chain. */
  verify?: (runId: string) => Promise<ChainCheck>;
  /** Classifies a stored error (`retryable`, `fatal`, …) and says whether that was derived now. */
  classify?: (error: SerializedError) => { kind: string; derived: boolean };
  /**
   * Whether `resume` can continue this run (its workflow is registered or its file recorded); a reason when not.
   * Called for the run page, so it must be cheap and must not throw.
   */
  canResume?: (records: readonly CheckpointRecord[]) => Promise<{ ok: boolean; reason?: string }>;
  /**
   * Continues a run in this process. Resolves when the run ends; `signal` aborts it (the dashboard's cancel
   * button, offered only for runs this process is executing).
   */
  resume?: (runId: string, signal: AbortSignal) => Promise<ActionOutcome>;
}
