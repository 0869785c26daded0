import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatonError, type CheckpointStore } from '@baton/core';
import { DashboardError } from './errors.js';
import {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_WATCHED_POLL_INTERVAL_MS,
  parseDashboardOptions,
  type ParsedDashboardOptions,
} from './options.js';
import { buildRunView, type RunView } from './run-view.js';
import { RunsIndex } from './runs-index.js';
import {
  allowedHosts,
  assertHostAllowed,
  cookieOf,
  isLoopback,
  isSameOriginAction,
  newToken,
  sameSecret,
  SECURITY_HEADERS,
  TOKEN_COOKIE,
} from './security.js';
import { type ChainCheck, DASHBOARD_STATUSES, type DashboardHost, type DashboardRunStatus } from './types.js';

/** Options of {@link startDashboard}. */
export interface DashboardOptions extends DashboardHost {
  /** The store to show. The dashboard only reads it; resume writes through the host's supervisor. */
  store: CheckpointStore;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Port to bind; 0 picks a free one. @default 4600 */
  port?: number;
  /** Access token: required for any non-loopback host; when set, every request must carry it. */
  token?: string;
  /** The fs store's `runs` folder, watched for live updates (without it the store is polled). */
  watchDir?: string;
  /**
   * Re-list interval, ms. @default 1000 when polling is the only source of changes; 15000 (a safety net) with
   * `watchDir` or a store that pushes changes (`watchRuns`, e.g. the pg store's LISTEN/NOTIFY)
   */
  pollIntervalMs?: number;
  /** What the page calls the store (`fs store .baton`, `s3 store my-bucket`): no secrets. */
  storeLabel?: string;
  /** The built web app; defaults to the package's own `dist/web`. */
  assetsDir?: string;
}

/** A running dashboard. */
export interface Dashboard {
  /** `http://host:port/` (with `?token=` when a token is set). */
  readonly url: string;
  readonly port: number;
  /** The per-session token POSTs must carry (printed into the page). */
  readonly sessionToken: string;
  /** The runs index (for tests and embedding programs). */
  readonly index: RunsIndex;
  /** Stops the server, the SSE streams, the watcher and runs this dashboard resumed (they are cancelled). */
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

const STATUSES = DASHBOARD_STATUSES;

/** An error answered to the browser with an HTTP status. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the dashboard: loads the runs index, binds `host:port` and serves the web app and its JSON API
 * (`/api/runs`, `/api/runs/:id`, `/api/runs/:id/records`, `/api/events`). Refuses a non-loopback host
 * without a token (`BATON_DASHBOARD_TOKEN_REQUIRED`).
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { store, judge, graph, verify, classify, canResume, resume, ...plain } = options;
  const parsed = parseDashboardOptions(plain);
  assertHostAllowed(parsed.host, parsed.token);
  const host: DashboardHost = {
    ...(judge ? { judge } : {}),
    ...(graph ? { graph } : {}),
    ...(verify ? { verify } : {}),
    ...(classify ? { classify } : {}),
    ...(canResume ? { canResume } : {}),
    ...(resume ? { resume } : {}),
  };
  const assetsDir = parsed.assetsDir ?? fileURLToPath(new URL('./web/', import.meta.url));
  const indexHtml = await readFile(join(assetsDir, 'index.html'), 'utf8').catch((error: unknown) => {
    throw new DashboardError(
      'BATON_DASHBOARD_ASSETS_MISSING',
      `The dashboard's web app is missing from ${assetsDir} (was @baton/dashboard built?)`,
      { cause: error },
    );
  });
  const clients = new Set<ServerResponse>();
  const broadcast = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of clients) client.write(frame);
  };
  const index = new RunsIndex(store, {
    ...(parsed.watchDir ? { watchDir: parsed.watchDir } : {}),
    pollIntervalMs:
      parsed.pollIntervalMs ?? (parsed.watchDir ? DEFAULT_WATCHED_POLL_INTERVAL_MS : DEFAULT_POLL_INTERVAL_MS),
    storeWatchPollIntervalMs: parsed.pollIntervalMs ?? DEFAULT_WATCHED_POLL_INTERVAL_MS,
    ...(host.judge ? { judge: host.judge } : {}),
    onChange: (runIds) => broadcast('runs', { runIds }),
    onError: () => {},
  });
  await index.start();
  const sessionToken = newToken();
  const executing = new Map<string, AbortController>();
  const state: ServerState = { parsed, host, store, index, sessionToken, indexHtml, assetsDir, clients, executing };
  const server = createServer((request, response) => {
    handle(state, request, response).catch((error: unknown) => sendError(response, error));
  });
  await listen(server, parsed);
  const port = (server.address() as AddressInfo).port;
  state.hosts = isLoopback(parsed.host) ? allowedHosts(parsed.host, port) : undefined;
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();
  const shownHost = parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host;
  return {
    url: `http://${shownHost}:${port}/${parsed.token ? `?token=${encodeURIComponent(parsed.token)}` : ''}`,
    port,
    sessionToken,
    index,
    async close() {
      clearInterval(heartbeat);
      index.close();
      for (const controller of executing.values()) controller.abort(new Error('the dashboard stopped'));
      for (const client of clients) client.end();
      clients.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

interface ServerState {
  parsed: ParsedDashboardOptions;
  host: DashboardHost;
  store: CheckpointStore;
  index: RunsIndex;
  sessionToken: string;
  indexHtml: string;
  assetsDir: string;
  clients: Set<ServerResponse>;
  /** Runs this process is executing (resumed from the page), with the controller that cancels them. */
  executing: Map<string, AbortController>;
  /** Host headers accepted (loopback binds only: the DNS-rebinding guard). */
  hosts?: Set<string> | undefined;
}

function listen(server: Server, parsed: ParsedDashboardOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new DashboardError(
          'BATON_DASHBOARD_LISTEN',
          `Cannot listen on ${parsed.host}:${parsed.port}: ${error.message}`,
          {
            cause: error,
          },
        ),
      ),
    );
    server.listen(parsed.port, parsed.host, () => resolve());
  });
}

async function handle(state: ServerState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
  if (state.hosts && !state.hosts.has(request.headers.host ?? '')) {
    throw new HttpError(
      421,
      'BATON_DASHBOARD_HOST',
      `Host ${JSON.stringify(request.headers.host)} is not this dashboard`,
    );
  }
  if (state.parsed.token && !authorized(state.parsed.token, request, url, response)) return;
  const method = request.method ?? 'GET';
  const path = url.pathname;
  if (method === 'POST') return handleAction(state, request, response, path);
  if (method !== 'GET' && method !== 'HEAD')
    throw new HttpError(405, 'BATON_DASHBOARD_METHOD', `${method} is not allowed`);
  if (path === '/api/events') return openEvents(state, request, response);
  if (path.startsWith('/api/')) return sendJson(response, 200, await apiGet(state, path, url.searchParams));
  if (path.startsWith('/assets/')) return sendAsset(state, response, path);
  // Every other path is the single-page app (its router reads the path).
  const html = state.indexHtml.replace('__BATON_SESSION_TOKEN__', state.sessionToken);
  response.writeHead(200, { 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-store' });
  response.end(html);
}

/** Checks the access token (cookie, bearer header, or `?token=` which then sets the cookie). */
function authorized(token: string, request: IncomingMessage, url: URL, response: ServerResponse): boolean {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (sameSecret(cookieOf(request, TOKEN_COOKIE), token) || sameSecret(bearer, token)) return true;
  const given = url.searchParams.get('token') ?? undefined;
  if (sameSecret(given, token) && !url.pathname.startsWith('/api/')) {
    url.searchParams.delete('token');
    response.writeHead(303, {
      'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      location: `${url.pathname}${url.search}`,
    });
    response.end();
    return false;
  }
  throw new HttpError(401, 'BATON_DASHBOARD_UNAUTHORIZED', 'This dashboard needs its token: open the URL it printed');
}

async function apiGet(state: ServerState, path: string, query: URLSearchParams): Promise<unknown> {
  if (path === '/api/info') {
    return {
      store: state.parsed.storeLabel,
      live: state.index.storeWatching
        ? { mode: 'store.watch', safetyPollMs: state.parsed.pollIntervalMs ?? DEFAULT_WATCHED_POLL_INTERVAL_MS }
        : state.parsed.watchDir
          ? { mode: 'fs.watch', safetyPollMs: state.parsed.pollIntervalMs ?? DEFAULT_WATCHED_POLL_INTERVAL_MS }
          : { mode: 'polling', intervalMs: state.parsed.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS },
      statuses: STATUSES,
      resume: Boolean(state.host.resume),
    };
  }
  if (path === '/api/runs') {
    const statuses = (query.get('status') ?? '')
      .split(',')
      .filter(Boolean)
      .map((status) => {
        if (!(STATUSES as readonly string[]).includes(status))
          throw new HttpError(
            400,
            'BATON_DASHBOARD_QUERY',
            `status ${JSON.stringify(status)} is not one of ${STATUSES.join(', ')}`,
          );
        return status as DashboardRunStatus;
      });
    return state.index.query({
      statuses,
      search: query.get('q') ?? '',
      offset: intParam(query, 'offset', 0),
      limit: intParam(query, 'limit', 50),
    });
  }
  const match = /^\/api\/runs\/([^/]+)(\/records)?$/.exec(path);
  if (!match) throw new HttpError(404, 'BATON_DASHBOARD_NOT_FOUND', `No API at ${path}`);
  const runId = decodeURIComponent(match[1]!);
  const records = await state.store.read(runId);
  if (records.length === 0)
    throw new HttpError(404, 'BATON_RUN_NOT_FOUND', `No run ${JSON.stringify(runId)} in the store`);
  if (match[2]) {
    const seq = query.get('seq');
    if (seq === null) return { runId, records };
    const record = records.find((candidate) => candidate.seq === Number(seq));
    if (!record) throw new HttpError(404, 'BATON_DASHBOARD_NOT_FOUND', `Run ${runId} has no record ${seq}`);
    return record;
  }
  return runView(state, runId, records);
}

async function runView(state: ServerState, runId: string, records: Awaited<ReturnType<CheckpointStore['read']>>) {
  const indexed = state.index.get(runId);
  const shown = indexed ?? { status: records.some((r) => r.type === 'run.finished') ? 'finished' : 'running' };
  const [graph, chain, resumable] = await Promise.all([
    state.host.graph
      ? state.host.graph(records)
      : Promise.resolve({ note: 'the workflow definition is not available' }),
    verifyChain(state, runId),
    state.host.resume && state.host.canResume
      ? state.host.canResume(records)
      : Promise.resolve({ ok: false, reason: 'resume is not available here' }),
  ]);
  const executingHere = state.executing.has(runId);
  const finishedOrStopped = shown.status !== 'running';
  const view: RunView & { chain: ChainCheck | { unavailable: string }; executingHere: boolean } = {
    ...buildRunView(records, graph, state.host, { status: shown.status, note: indexed?.note }),
    actions: {
      resume:
        executingHere || !finishedOrStopped || shown.status === 'succeeded'
          ? { ok: false, reason: executingHere ? 'this dashboard is executing it' : `the run is ${shown.status}` }
          : resumable,
      cancel: executingHere,
    },
    chain,
    executingHere,
  };
  return view;
}

async function verifyChain(state: ServerState, runId: string): Promise<ChainCheck | { unavailable: string }> {
  if (!state.host.verify) return { unavailable: 'this store cannot be verified from here' };
  try {
    return await state.host.verify(runId);
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
}

async function handleAction(state: ServerState, request: IncomingMessage, response: ServerResponse, path: string) {
  if (!isSameOriginAction(request, state.sessionToken)) {
    throw new HttpError(
      403,
      'BATON_DASHBOARD_FORBIDDEN',
      'Actions must come from the dashboard page itself (same origin, session token)',
    );
  }
  const match = /^\/api\/runs\/([^/]+)\/(resume|cancel)$/.exec(path);
  if (!match) throw new HttpError(404, 'BATON_DASHBOARD_NOT_FOUND', `No action at ${path}`);
  const runId = decodeURIComponent(match[1]!);
  if (match[2] === 'cancel') {
    const controller = state.executing.get(runId);
    if (!controller)
      throw new HttpError(
        409,
        'BATON_DASHBOARD_NOT_EXECUTING',
        `Run ${runId} is not executing in this dashboard, so it cannot cancel it`,
      );
    controller.abort(new Error('cancelled from the dashboard'));
    return sendJson(response, 202, { runId, cancelling: true });
  }
  const resume = state.host.resume;
  if (!resume) throw new HttpError(409, 'BATON_DASHBOARD_NO_RESUME', 'Resume is not available in this dashboard');
  if (state.executing.has(runId))
    throw new HttpError(409, 'BATON_DASHBOARD_EXECUTING', `Run ${runId} is already executing here`);
  const records = await state.store.read(runId);
  if (records.length === 0)
    throw new HttpError(404, 'BATON_RUN_NOT_FOUND', `No run ${JSON.stringify(runId)} in the store`);
  const check = state.host.canResume ? await state.host.canResume(records) : { ok: true };
  if (!check.ok)
    throw new HttpError(
      409,
      'BATON_DASHBOARD_NOT_RESUMABLE',
      `Run ${runId} cannot be resumed: ${check.reason ?? 'unknown reason'}`,
    );
  const controller = new AbortController();
  state.executing.set(runId, controller);
  resume(runId, controller.signal)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const frame = `event: action\ndata: ${JSON.stringify({ runId, action: 'resume', error: message })}\n\n`;
      for (const client of state.clients) client.write(frame);
    })
    .finally(() => {
      state.executing.delete(runId);
      // Pages showing the run reload it: its actions changed even if its records did not.
      const frame = `event: runs\ndata: ${JSON.stringify({ runIds: [runId] })}\n\n`;
      for (const client of state.clients) client.write(frame);
      void state.index.refreshRun(runId).catch(() => {});
    });
  return sendJson(response, 202, { runId, resuming: true });
}

function openEvents(state: ServerState, request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.write(`event: hello\ndata: {}\n\n`);
  state.clients.add(response);
  request.on('close', () => state.clients.delete(response));
}

async function sendAsset(state: ServerState, response: ServerResponse, path: string): Promise<void> {
  const root = normalize(join(state.assetsDir, 'assets'));
  const file = normalize(join(state.assetsDir, decodeURIComponent(path)));
  if (!file.startsWith(root + sep)) throw new HttpError(404, 'BATON_DASHBOARD_NOT_FOUND', `No asset ${path}`);
  const body = await readFile(file).catch(() => {
    throw new HttpError(404, 'BATON_DASHBOARD_NOT_FOUND', `No asset ${path}`);
  });
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'public, max-age=31536000, immutable',
  });
  response.end(body);
}

function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new HttpError(400, 'BATON_DASHBOARD_QUERY', `${name} ${JSON.stringify(raw)} is not a non-negative integer`);
  return value;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.end();
  if (error instanceof HttpError)
    return sendJson(response, error.status, { error: { code: error.code, message: error.message } });
  if (BatonError.isInstance(error)) {
    const status = error.code === 'BATON_INVALID_RUN_ID' ? 400 : error.code === 'BATON_RUN_NOT_FOUND' ? 404 : 500;
    return sendJson(response, status, { error: { code: error.code, message: error.message } });
  }
  sendJson(response, 500, {
    error: { code: 'BATON_DASHBOARD_INTERNAL', message: error instanceof Error ? error.message : String(error) },
  });
}
