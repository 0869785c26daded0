import type { Workflow } from '@baton/core';

/** Where the fixture steps record ledger events (undefined: an uninterrupted reference run, no ledger). */
export interface Ledger {
  schema: string;
  query(sql: string, values: unknown[]): Promise<{ rows: unknown[] }>;
  record(runId: string, stepId: string, event: string): Promise<unknown>;
}

/** Five chained steps with deterministic outputs and sleeps. */
// biome-ignore lint/suspicious/noExplicitAny: fixture
export function stormWorkflow(ledger: Ledger | undefined, stepMs?: number): Workflow<any, any>;
/** One step that waits until cancelled. */
// biome-ignore lint/suspicious/noExplicitAny: fixture
export function waitingWorkflow(ledger: Ledger | undefined): Workflow<any, any>;
