// The dashboard's JSON API as the browser sees it. Types mirror the server's (src/run-view.ts, src/runs-index.ts).

/** A shown status. */
export type Status = 'running' | 'interrupted' | 'suspended' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out';

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

/** A value cut for display. */
export interface ValuePreview {
  text: string;
  size: number;
  truncated: boolean;
}

/** An error with its classification. */
export interface ShownError {
  name: string;
  message: string;
  code?: string;
  kind?: string;
  classification?: string;
  classificationDerived?: boolean;
  breakerRefused?: boolean;
}

/** One step record. */
export interface StepExecution {
  seq: number;
  status: string;
  attempts: number;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  output?: ValuePreview;
  error?: ShownError;
  meta?: ValuePreview;
}

/** A step of the run page. */
export interface StepView {
  id: string;
  needs: string[];
  fallbacks: string[];
  status: string;
  executions: StepExecution[];
}

/** One timeline item. */
export interface TimelineItem {
  seq: number;
  kind: string;
  stepId?: string;
  status?: string;
  startMs: number;
  endMs: number;
  attempts?: number;
  waitMs?: number;
}

/** `/api/runs/:id`. */
export interface RunView {
  runId: string;
  workflow: { name: string; version: string; hash: string };
  status: string;
  note?: string;
  startedAt: number;
  updatedAt: number;
  records: number;
  input: ValuePreview;
  error?: ShownError;
  graph: { source?: string; note?: string; fromDefinition: boolean };
  steps: StepView[];
  timeline: TimelineItem[];
  actions: { resume: { ok: boolean; reason?: string }; cancel: boolean };
  chain: { ok: boolean; records: number; error?: { code?: string; message: string } } | { unavailable: string };
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
