import { randomUUID } from 'node:crypto';
import { CancelledError } from '@baton/core';
import { BridgeHttpError } from '../errors/bridge-http-error.js';
import { BridgeProtocolError } from '../errors/bridge-protocol-error.js';
import { fromWireError } from '../errors/from-wire-error.js';
import { runResultSchema, type RunParams, type RunResultWire, type WireError } from '../protocol/types.js';
import type { BridgeRunOptions } from '../stdio/bridge-worker.js';
import { readServerSentEvents } from './sse.js';

/** Options of {@link BridgeHttpClient}. */
export interface BridgeHttpClientOptions {
  /** Base URL of a `python -m baton_bridge.http` server, e.g. `http://127.0.0.1:8765`. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Times an event stream that dropped before the run ended is resumed (with Last-Event-ID). @default 3 */
  maxReconnects?: number;
  /** After a cancel, how long to wait for the server's terminal event before giving up. @default 5_000 */
  cancelGraceMs?: number;
}

/** One event of a run's SSE stream. */
export type BridgeHttpEvent =
  | { type: 'progress'; seq: number; event: unknown }
  | { type: 'result'; result: RunResultWire }
  | { type: 'error'; error: WireError };

/** A run as `GET /runs/{callId}` reports it. */
export interface BridgeHttpRunStatus {
  callId: string;
  runId: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  lastSeq: number;
  result?: RunResultWire;
  error?: WireError;
}

/** Client of the HTTP+SSE bridge server: start a run, stream its events, cancel, status, health. */
export class BridgeHttpClient {
  readonly url: string;
  readonly #options: BridgeHttpClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: BridgeHttpClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** `GET /health`: versions, capabilities and (for `runners`) whether their frameworks load. */
  health(options: { runners?: string[]; signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
    const query = options.runners?.length ? `?runners=${encodeURIComponent(options.runners.join(','))}` : '';
    return this.#json('GET', `/health${query}`, undefined, options.signal) as Promise<Record<string, unknown>>;
  }

  /** `POST /runs`: starts a run (idempotent per `callId`). */
  startRun(
    params: Omit<RunParams, 'callId'> & { callId?: string },
    signal?: AbortSignal,
  ): Promise<{ callId: string; status: string }> {
    return this.#json('POST', '/runs', { ...params, callId: params.callId ?? randomUUID() }, signal) as Promise<{
      callId: string;
      status: string;
    }>;
  }

  /** `GET /runs/{callId}`. */
  status(callId: string, signal?: AbortSignal): Promise<BridgeHttpRunStatus> {
    return this.#json('GET', `/runs/${encodeURIComponent(callId)}`, undefined, signal) as Promise<BridgeHttpRunStatus>;
  }

  /** `POST /runs/{callId}/cancel` (idempotent); true if the run was still in flight. */
  async cancel(callId: string, signal?: AbortSignal): Promise<boolean> {
    const body = await this.#json('POST', `/runs/${encodeURIComponent(callId)}/cancel`, {}, signal);
    return (body as { cancelled?: unknown }).cancelled === true;
  }

  /**
   * `GET /runs/{callId}/events`: yields progress events then one terminal `result`/`error`.
   * A stream that drops early is resumed from the last seen sequence number.
   */
  async *events(
    callId: string,
    options: { signal?: AbortSignal; after?: number } = {},
  ): AsyncGenerator<BridgeHttpEvent> {
    let lastSeq = options.after ?? 0;
    for (let attempt = 0; ; attempt += 1) {
      const response = await this.#request(
        'GET',
        `/runs/${encodeURIComponent(callId)}/events`,
        undefined,
        options.signal,
        { 'Last-Event-ID': String(lastSeq) },
      );
      for await (const message of readServerSentEvents(response.body!)) {
        const event = parseEvent(message.event, message.data);
        if (event.type === 'progress') {
          if (event.seq <= lastSeq) continue; // replayed after a reconnect
          lastSeq = event.seq;
        }
        yield event;
        if (event.type !== 'progress') return;
      }
      if (attempt >= (this.#options.maxReconnects ?? 3)) {
        throw new BridgeHttpError({
          message: `Event stream of run ${callId} ended ${attempt + 1} times before the run finished`,
        });
      }
    }
  }

  /** Starts a run and follows it to the end: progress to `onProgress`, abort → cancel. */
  async run(
    params: Omit<RunParams, 'callId'> & { callId?: string },
    options: BridgeRunOptions = {},
  ): Promise<RunResultWire> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw new CancelledError(`Run '${params.runId}' was cancelled before it started`);
    const { callId } = await this.startRun(params, signal);
    const stream = new AbortController();
    let graceTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      this.cancel(callId).catch(() => undefined);
      graceTimer = setTimeout(() => stream.abort(), this.#options.cancelGraceMs ?? 5_000);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const event of this.events(callId, { signal: stream.signal })) {
        if (event.type === 'progress') onProgress?.(event.event);
        else if (signal?.aborted) break;
        else if (event.type === 'error') throw fromWireError(event.error);
        else return event.result;
      }
      throw new CancelledError(`Run '${params.runId}' (call ${callId}) was cancelled`);
    } catch (error) {
      if (signal?.aborted)
        throw new CancelledError(`Run '${params.runId}' (call ${callId}) was cancelled`, { cause: error });
      throw error;
    } finally {
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onAbort);
      stream.abort();
    }
  }

  async #json(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await this.#request(method, path, body, signal);
    return response.json();
  }

  async #request(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(this.#options.token ? { Authorization: `Bearer ${this.#options.token}` } : {}),
          ...this.#options.headers,
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw new CancelledError(`${method} ${path} was aborted`, { cause: error });
      throw new BridgeHttpError({
        message: `${method} ${this.url}${path} failed: ${(error as Error).message}`,
        cause: error,
      });
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    const wire = safeJson(text) as { error?: WireError } | undefined;
    if (wire?.error && response.status === 400) throw fromWireError(wire.error);
    throw new BridgeHttpError({
      message: `${method} ${this.url}${path} → HTTP ${response.status}: ${wire?.error?.message ?? text.slice(0, 200)}`,
      status: response.status,
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseEvent(type: string | undefined, data: string): BridgeHttpEvent {
  const payload = safeJson(data) as Record<string, unknown> | undefined;
  if (payload && type === 'progress' && typeof payload.seq === 'number')
    return { type, seq: payload.seq, event: payload.event };
  if (payload && type === 'result') {
    const parsed = runResultSchema.safeParse(payload);
    if (parsed.success) return { type, result: parsed.data };
  }
  if (payload && type === 'error' && typeof payload.code === 'number' && typeof payload.message === 'string') {
    return { type, error: payload as unknown as WireError };
  }
  throw new BridgeProtocolError({
    message: `Malformed SSE event '${type ?? 'message'}' from the bridge server`,
    frame: data.slice(0, 200),
  });
}
