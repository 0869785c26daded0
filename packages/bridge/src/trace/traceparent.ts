/** W3C trace context sent with a run. */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/** Where a bridge agent takes the trace context of each run from. */
export type TraceparentSource = string | (() => string | TraceContext | undefined);

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** True for a syntactically valid W3C `traceparent` header value. */
export function isTraceparent(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    TRACEPARENT.test(value) &&
    !/^[\da-f]{2}-0{32}-/.test(value) &&
    !/-0{16}-[\da-f]{2}$/.test(value)
  );
}

type OtelApi = typeof import('@opentelemetry/api');

let otel: Promise<OtelApi | undefined> | undefined;

/** Loads the optional `@opentelemetry/api` peer once; undefined when it is not installed. */
function loadOtel(): Promise<OtelApi | undefined> {
  otel ??= import('@opentelemetry/api').then(
    (module) => module,
    () => undefined,
  );
  return otel;
}

/**
 * The trace context of the active OpenTelemetry span (via `@opentelemetry/api`, if installed),
 * built from the span context so it works without a registered propagator.
 */
export async function activeTraceContext(): Promise<TraceContext | undefined> {
  const api = await loadOtel();
  const span = api?.trace.getSpan(api.context.active());
  const spanContext = span?.spanContext();
  if (!api || !spanContext || !api.isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  const tracestate = spanContext.traceState?.serialize();
  return {
    traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`,
    ...(tracestate ? { tracestate } : {}),
  };
}

/** Resolves the trace context for one run: the explicit source if given, else the active span. */
export async function resolveTraceContext(source: TraceparentSource | undefined): Promise<TraceContext | undefined> {
  if (source === undefined) return activeTraceContext();
  const value = typeof source === 'function' ? source() : source;
  if (value === undefined) return undefined;
  const context = typeof value === 'string' ? { traceparent: value } : value;
  return isTraceparent(context.traceparent) ? context : undefined;
}
