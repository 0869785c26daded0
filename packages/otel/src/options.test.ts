import { BatonError, createSupervisor } from '@baton/core';
import { TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { instrument } from './instrument.js';
import { compileOptions, DEFAULT_MAX_CONTENT_LENGTH, InstrumentOptionsError } from './options.js';
import { findStoredTraceContext, formatTraceparent, parseTraceparent, toStoredTraceContext } from './trace-context.js';

describe('compileOptions', () => {
  it('applies the documented defaults', () => {
    expect(compileOptions()).toEqual({
      tracerProvider: undefined,
      meterProvider: undefined,
      captureContent: false,
      redact: undefined,
      maxContentLength: DEFAULT_MAX_CONTENT_LENGTH,
      metrics: true,
      pluginName: '@baton/otel',
    });
  });

  it.each([
    [
      { captureContent: 'yes' },
      `Invalid option 'captureContent' of instrument(): expected a boolean, received string "yes"`,
    ],
    [
      { maxContentLength: 0 },
      `Invalid option 'maxContentLength' of instrument(): expected an integer ≥ 32, received number 0`,
    ],
    [{ redact: 'mask' }, `Invalid option 'redact' of instrument(): expected a function, received string "mask"`],
    [
      { tracerProvider: {} },
      `Invalid option 'tracerProvider' of instrument(): expected an object with a getTracer() method, received an object (no keys)`,
    ],
    [
      { meterProvider: { getTracer: () => undefined } },
      `Invalid option 'meterProvider' of instrument(): expected an object with a getMeter() method, received an object (getTracer)`,
    ],
  ])('rejects %j with a clear InstrumentOptionsError', (options, message) => {
    const attempt = () => compileOptions(options as never);
    expect(attempt).toThrow(InstrumentOptionsError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect(BatonError.isInstance(error) && error.code).toBe('BATON_OTEL_INVALID_OPTIONS');
    }
  });

  it('makes instrument() throw for a bad option', () => {
    const supervisor = createSupervisor();
    expect(() => instrument(supervisor, { maxContentLength: 1.5 })).toThrow(InstrumentOptionsError);
  });
});

describe('trace context round trip', () => {
  const spanContext = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
  };

  it('formats and parses W3C traceparent', () => {
    const traceparent = formatTraceparent(spanContext);
    expect(traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(parseTraceparent(traceparent)).toEqual({ ...spanContext, isRemote: true });
  });

  it('rejects malformed or all-zero ids', () => {
    for (const bad of [
      undefined,
      42,
      '',
      '00-xyz',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it('stores nothing for an invalid (no-op) span context and keeps tracestate otherwise', () => {
    expect(toStoredTraceContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 })).toBeUndefined();
    const stored = toStoredTraceContext({
      ...spanContext,
      traceState: parseTraceparent(formatTraceparent(spanContext), 'vendor=1')!.traceState!,
    });
    expect(stored).toEqual({ traceparent: formatTraceparent(spanContext), tracestate: 'vendor=1' });
  });

  it('finds the context nested under the plugin name or at the top level', () => {
    const traceparent = formatTraceparent(spanContext);
    expect(findStoredTraceContext({ '@baton/otel': { traceparent } }, '@baton/otel')?.spanId).toBe(spanContext.spanId);
    expect(findStoredTraceContext({ traceparent }, '@baton/otel')?.spanId).toBe(spanContext.spanId);
    expect(findStoredTraceContext(undefined, '@baton/otel')).toBeUndefined();
  });
});
