// Proves the compat run really tests the lower bound: the package's source gets @opentelemetry/api 1.9.0 and the
// test harness records through SDK 2. Under the package's own config (api 1.10, SDK 3) both tests fail.
import { describe, expect, it } from 'vitest';
import { OtelHarness, useAsyncContext } from '../src/test-harness.js';

describe('the SDK 2 compat run', () => {
  it('gives the source @opentelemetry/api 1.9.0 (the version the global API registration carries)', () => {
    const undo = useAsyncContext();
    try {
      const registration = (globalThis as Record<symbol, { version?: string } | undefined>)[
        Symbol.for('opentelemetry.js.api.1')
      ];
      expect(registration?.version).toBe('1.9.0');
    } finally {
      undo();
    }
  });

  it('records through SDK 2: a link with attributes carries no droppedAttributesCount (SDK 3 adds one)', async () => {
    const otel = new OtelHarness();
    const tracer = otel.tracerProvider.getTracer('compat');
    const first = tracer.startSpan('first');
    first.end();
    tracer
      .startSpan('second', { links: [{ context: first.spanContext(), attributes: { 'compat.link': 'previous' } }] })
      .end();
    expect(otel.span('second').links).toHaveLength(1);
    expect(otel.span('second').links[0]).not.toHaveProperty('droppedAttributesCount');
    await otel.shutdown();
  });
});
