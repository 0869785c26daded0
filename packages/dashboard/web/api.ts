// The dashboard's JSON API as the browser sees it. `RunRow` / `RunsPage` mirror src/runs-index.ts, which the
// browser build cannot import (it uses node:fs).

import type { RunView as ServerRunView } from '../src/run-view.js';
import type { ChainCheck, DashboardRunStatus } from '../src/types.js';

// The server's own types (type-only imports, erased by Vite), so the two sides cannot drift apart.
export type { ShownError, StepExecution, StepView, TimelineItem, ValuePreview } from '../src/run-view.js';

/** A shown status. */
export type Status = DashboardRunStatus;

/** One listed run. */
export interface RunRow {
  runId: string;
  workflow: { name: string; version: string; hash: string };
  status: Status;
  note?: string;
  startedAt: number;
  updatedAt: number;
  records: number;
}

/** A page of `/api/runs`. */
export interface RunsPage {
  total: number;
  offset: number;
  limit: number;
  counts: Partial<Record<Status, number>>;
  runs: RunRow[];
}

/** What `/api/runs/:id` answers: the server's run view plus the chain check and whether this process runs it. */
export interface RunView extends ServerRunView {
  chain: ChainCheck | { unavailable: string };
  executingHere: boolean;
}

/** `/api/info`. */
export interface Info {
  store: string;
  live: { mode: 'fs.watch' | 'store.watch'; safetyPollMs: number } | { mode: 'polling'; intervalMs: number };
  resume: boolean;
}

/** The per-session token the server printed into the page; every POST carries it. */
const sessionToken = document.querySelector('meta[name="baton-session"]')?.getAttribute('content') ?? '';

/** GETs JSON from the API; throws with the server's message on an error status. */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const body = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `${response.status} ${response.statusText}`);
  return body;
}

/** POSTs an action (same origin, with the session token). */
export async function postAction(path: string): Promise<void> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'x-baton-session': sessionToken },
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message: string } };
    throw new Error(body.error?.message ?? `${response.status} ${response.statusText}`);
  }
}

type Listener = (runIds: string[]) => void;
const listeners = new Set<Listener>();
let source: EventSource | undefined;

/** Subscribes to the server's `runs` events (ids of runs that appeared or changed); returns an unsubscribe. */
export function onRunsChanged(listener: Listener): () => void {
  listeners.add(listener);
  if (!source) {
    source = new EventSource('/api/events');
    source.addEventListener('runs', (event) => {
      const { runIds } = JSON.parse((event as MessageEvent<string>).data) as { runIds: string[] };
      for (const each of listeners) each(runIds);
    });
    source.addEventListener('hello', () => document.body.setAttribute('data-live', 'connected'));
  }
  return () => listeners.delete(listener);
}
