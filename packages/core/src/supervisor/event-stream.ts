import type { RunHandle } from './run-handle.js';
import { serializeError } from './serialize.js';

/** Options of `toEventStream` / `toSSEResponse`. */
export interface EventStreamOptions {
  /**
   * Cancel the run when the stream's reader cancels it (a client disconnecting). Off by default: the run goes on and
   * its `result` still settles; only the stream's subscription ends. @default false
   */
  cancelRunOnDisconnect?: boolean;
  /** Keep `stack` fields of errors in the data (they reveal server paths to the client). @default false */
  includeStacks?: boolean;
}

/** Options of `toSSEResponse`: the stream's and extra response headers. */
export interface SSEResponseOptions extends EventStreamOptions {
  /** Added to (and overriding) `SSE_HEADERS`. */
  headers?: Record<string, string>;
}

/** The headers `toSSEResponse` sends. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * Turns a run handle into a Server-Sent Events byte stream (the convention of the AI SDK's and LangGraph's streaming
 * endpoints). Each event of the run is one message: `id: <n>`, `event: <type>` and `data: <JSON of the event>`.
 * When the run ends the stream sends `event: end` with `{ runId, status, dropped }` (or `event: error` with
 * `{ runId, error, dropped }` if `result` rejected), then closes. Values JSON cannot hold are made safe: bigints
 * become strings, errors their `{ name, message, code }`, cycles `"[Circular]"`, functions and symbols are left out.
 * The stream pulls from the handle, so a slow reader leaves events in the handle's bounded buffer (see
 * `StreamOptions.bufferSize`). Cancelling the stream ends its subscription; it cancels the run only with
 * `cancelRunOnDisconnect`.
 */
export function toEventStream(handle: RunHandle, options: EventStreamOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = handle.events;
  const includeStacks = options.includeStacks ?? false;
  let id = 0;
  /** Set when the reader cancelled: a pull still waiting on the iterator then writes nothing. */
  let cancelled = false;
  const message = (event: string, data: unknown): Uint8Array =>
    encoder.encode(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(jsonSafe(data, includeStacks))}\n\n`);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (cancelled) return;
        if (!next.done) return controller.enqueue(message(next.value.type, next.value));
        controller.enqueue(await endMessage(handle, message));
        controller.close();
      },
      async cancel(reason) {
        cancelled = true;
        await iterator.return?.();
        if (options.cancelRunOnDisconnect) handle.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

async function endMessage(handle: RunHandle, message: (event: string, data: unknown) => Uint8Array) {
  try {
    const result = await handle.result;
    return message('end', { runId: handle.runId, status: result.status, dropped: handle.dropped });
  } catch (error) {
    return message('error', { runId: handle.runId, error: serializeError(error), dropped: handle.dropped });
  }
}

/**
 * A `Response` streaming `toEventStream(handle, options)` with `SSE_HEADERS`: return it from a fetch-style handler
 * (Hono, Next.js route handlers, `Deno.serve`, Bun) or pipe its body into a `node:http` response.
 */
export function toSSEResponse(handle: RunHandle, options: SSEResponseOptions = {}): Response {
  return new Response(toEventStream(handle, options), { headers: { ...SSE_HEADERS, ...options.headers } });
}

/** A copy of `value` that `JSON.stringify` can write without throwing or losing errors. */
function jsonSafe(value: unknown, includeStacks: boolean, ancestors: object[] = []): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.includes(value)) return '[Circular]';
  if (value instanceof Error) return jsonSafe(serializeError(value), includeStacks, ancestors);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const json: unknown = toJSON.call(value);
    if (json !== value) return jsonSafe(json, includeStacks, ancestors);
  }
  ancestors.push(value);
  try {
    if (Array.isArray(value)) return value.map((item) => jsonSafe(item, includeStacks, ancestors) ?? null);
    if (value instanceof Map) return [...value].map((entry) => jsonSafe(entry, includeStacks, ancestors));
    if (value instanceof Set) return [...value].map((item) => jsonSafe(item, includeStacks, ancestors));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'stack' && !includeStacks) continue;
      const safe = jsonSafe(item, includeStacks, ancestors);
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  } finally {
    ancestors.pop();
  }
}
