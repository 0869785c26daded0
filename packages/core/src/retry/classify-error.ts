import { BatonError, type ErrorKind } from '../errors/baton-error.js';

/** The verdict on one thrown value. */
export interface ErrorClassification {
  kind: ErrorKind;
  /** How long the failure asks us to wait (Retry-After and friends), in ms. */
  retryAfterMs?: number;
}

/**
 * Classifies an error, or returns `undefined` to let the next classifier decide.
 * Adapters ship these for their frameworks' errors.
 */
export type ErrorClassifier = (error: unknown) => ErrorClassification | undefined;

/** Options of `classifyError`. */
export interface ClassifyOptions {
  /** Classifiers consulted first, in order. */
  classifiers?: readonly ErrorClassifier[];
  /** Kind of errors no rule recognizes. @default 'retryable' */
  unknownKind?: 'retryable' | 'fatal';
  /** Clock for Retry-After HTTP dates. @default Date.now */
  now?: () => number;
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Turns any thrown value into a classification. Order: the given classifiers,
 * Baton's own error classes, abort/cancellation, HTTP-like status codes (with
 * Retry-After headers), Node network error codes, then `unknownKind`.
 * Messages are never inspected.
 */
export function classifyError(error: unknown, options: ClassifyOptions = {}): ErrorClassification {
  for (const classifier of options.classifiers ?? []) {
    const verdict = classifier(error);
    if (verdict) return verdict;
  }
  return classifyBuiltIn(error, options.now ?? Date.now) ?? { kind: options.unknownKind ?? 'retryable' };
}

function classifyBuiltIn(error: unknown, now: () => number): ErrorClassification | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (BatonError.isInstance(error) && error.kind) {
    const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
    return retryAfterMs === undefined ? { kind: error.kind } : { kind: error.kind, retryAfterMs };
  }
  const named = error as { name?: unknown; code?: unknown };
  if (named.name === 'AbortError' || named.code === 'ABORT_ERR') return { kind: 'cancelled' };
  if (named.name === 'TimeoutError') return { kind: 'timeout' };
  const status = httpStatusOf(error);
  if (status !== undefined) return classifyStatus(status, retryAfterOf(error, now));
  if (typeof named.code === 'string' && RETRYABLE_NETWORK_CODES.has(named.code)) return { kind: 'retryable' };
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error ? classifyBuiltIn(cause, now) : undefined;
}

function classifyStatus(status: number, retryAfterMs: number | undefined): ErrorClassification | undefined {
  const withWait = (kind: ErrorKind): ErrorClassification =>
    retryAfterMs === undefined ? { kind } : { kind, retryAfterMs };
  if (status === 429) return withWait('rate_limited');
  if (status === 408) return withWait('timeout');
  if (status === 425 || status >= 500) return withWait(retryAfterMs === undefined ? 'retryable' : 'rate_limited');
  if (status >= 400) return { kind: 'fatal' };
  return undefined;
}

/** Reads an HTTP status from `status`, `statusCode`, `response.status` or `$metadata.httpStatusCode`. */
export function httpStatusOf(error: unknown): number | undefined {
  const candidate = error as {
    status?: unknown;
    statusCode?: unknown;
    response?: { status?: unknown };
    $metadata?: { httpStatusCode?: unknown };
  };
  for (const value of [
    candidate.status,
    candidate.statusCode,
    candidate.response?.status,
    candidate.$metadata?.httpStatusCode,
  ]) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599) return value;
  }
  return undefined;
}

/**
 * Reads the wait a failed HTTP response asks for, in ms, from `retry-after-ms`,
 * `Retry-After` (seconds or an HTTP date) or `x-ratelimit-reset-*` headers.
 * Headers may be a plain object, a `Headers`, or on `error.response.headers`.
 */
export function retryAfterOf(error: unknown, now: () => number = Date.now): number | undefined {
  const candidate = error as {
    headers?: unknown;
    response?: { headers?: unknown };
    responseHeaders?: unknown;
    retryAfterMs?: unknown;
  };
  if (typeof candidate.retryAfterMs === 'number' && candidate.retryAfterMs >= 0) return candidate.retryAfterMs;
  for (const headers of [candidate.headers, candidate.responseHeaders, candidate.response?.headers]) {
    const wait = retryAfterFromHeaders(headers, now);
    if (wait !== undefined) return wait;
  }
  return undefined;
}

function retryAfterFromHeaders(headers: unknown, now: () => number): number | undefined {
  const get = headerGetter(headers);
  if (!get) return undefined;
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const retryAfter = get('retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (retryAfter.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now());
  }
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens', 'x-ratelimit-reset']) {
    const wait = parseDurationHeader(get(name));
    if (wait !== undefined) return wait;
  }
  return undefined;
}

function headerGetter(headers: unknown): ((name: string) => string | undefined) | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (typeof (headers as Headers).get === 'function') {
    return (name) => (headers as Headers).get(name) ?? undefined;
  }
  const lower = new Map<string, string>();
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === 'string' || typeof value === 'number') lower.set(key.toLowerCase(), String(value));
  }
  return (name) => lower.get(name);
}

/** Parses OpenAI-style reset durations: `1s`, `250ms`, `1m30s`, or plain seconds. */
function parseDurationHeader(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const plain = Number(value);
  if (Number.isFinite(plain) && plain >= 0) return plain * 1000;
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const match of value.matchAll(pattern)) {
    const amount = Number(match[1]);
    const unit = match[2]!;
    total += amount * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
    consumed += match[0].length;
  }
  return consumed === value.trim().length && consumed > 0 ? Math.round(total) : undefined;
}

/**
 * Wraps a classifier so it is tried on the error and then along its `cause`
 * chain (at most `maxDepth` links); the first verdict wins. Adapters use it
 * because frameworks wrap provider errors.
 */
export function throughCauses(classifier: ErrorClassifier, maxDepth = 5): ErrorClassifier {
  return (error) => {
    let current = error;
    for (let depth = 0; depth < maxDepth && typeof current === 'object' && current !== null; depth++) {
      const verdict = classifier(current);
      if (verdict) return verdict;
      const cause = (current as { cause?: unknown }).cause;
      if (cause === current) break;
      current = cause;
    }
    return undefined;
  };
}
