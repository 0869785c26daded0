import { isSpanContextValid, TraceFlags, type SpanContext, createTraceState } from '@opentelemetry/api';

/** What `instrument` stores in a run's checkpoint (W3C Trace Context of the run span). */
export interface StoredTraceContext {
  traceparent: string;
  tracestate?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Formats a span context as a W3C `traceparent` (version 00). */
export function formatTraceparent(spanContext: SpanContext): string {
  const traceFlags = spanContext.traceFlags & 0xff;
  // Sampled or not: the two values every span has, without a number-to-string conversion per step.
  const flags = traceFlags === 1 ? '01' : traceFlags === 0 ? '00' : traceFlags.toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/**
 * Writes the stored form of a span context onto `target` (what `Object.assign(target, toStoredTraceContext(…))`
 * does, without the intermediate object); writes nothing for an invalid span context.
 */
export function assignStoredTraceContext(target: Record<string, string>, spanContext: SpanContext): void {
  if (!isSpanContextValid(spanContext)) return;
  target.traceparent = formatTraceparent(spanContext);
  const tracestate = spanContext.traceState?.serialize();
  if (tracestate) target.tracestate = tracestate;
}

/** The stored form of a span context, or `undefined` for an invalid (non-recording, no-op) one. */
export function toStoredTraceContext(spanContext: SpanContext): StoredTraceContext | undefined {
  if (!isSpanContextValid(spanContext)) return undefined;
  const tracestate = spanContext.traceState?.serialize();
  return tracestate
    ? { traceparent: formatTraceparent(spanContext), tracestate }
    : { traceparent: formatTraceparent(spanContext) };
}

/**
 * Parses a `traceparent` into a remote span context. Returns `undefined` for
 * anything malformed: stored meta may come from another version or be edited
 * by hand, and a bad link must never break a resume.
 */
export function parseTraceparent(traceparent: unknown, tracestate?: unknown): SpanContext | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = TRACEPARENT.exec(traceparent.trim().toLowerCase());
  if (!match) return undefined;
  const spanContext: SpanContext = {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  if (typeof tracestate === 'string' && tracestate !== '') spanContext.traceState = createTraceState(tracestate);
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * Finds the run span context in a `resumedFrom` record. Accepts the meta this
 * plugin returned either at the top level or nested under the plugin's name,
 * since core may namespace plugin meta.
 */
export function findStoredTraceContext(
  meta: Record<string, unknown> | undefined,
  pluginName: string,
): SpanContext | undefined {
  if (!meta) return undefined;
  const nested = meta[pluginName];
  const source = typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : meta;
  return parseTraceparent(source.traceparent, source.tracestate);
}
