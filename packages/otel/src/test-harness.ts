// Test-only helpers (not exported from the package): a real OpenTelemetry SDK
// pipeline with in-memory exporters, and lookups over what it recorded.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Supervisor } from '@baton/core';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { instrument, type Detach } from './instrument.js';
import type { InstrumentOptions } from './options.js';

/** Registers the AsyncLocalStorage context manager (what NodeSDK does); returns an undo. */
export function useAsyncContext(): () => void {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  return () => {
    manager.disable();
    context.disable();
  };
}

/** A tracer provider and a meter provider that record into memory. */
export class OtelHarness {
  readonly spanExporter = new InMemorySpanExporter();
  readonly tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: this.spanExporter })],
  });
  readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // A huge interval: tests export explicitly with forceFlush, never on a timer.
  private readonly reader = new PeriodicExportingMetricReader({
    exporter: this.metricExporter,
    exportIntervalMillis: 2 ** 30,
  });
  readonly meterProvider = new MeterProvider({ readers: [this.reader] });

  spans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  /** The one finished span called `name` (throws if there is not exactly one). */
  span(name: string, filter: (span: ReadableSpan) => boolean = () => true): ReadableSpan {
    const found = this.spans().filter((span) => span.name === name && filter(span));
    if (found.length !== 1)
      throw new Error(
        `expected one span '${name}', found ${found.length}: ${this.spans()
          .map((span) => span.name)
          .join(', ')}`,
      );
    return found[0]!;
  }

  /** Collects now and returns the latest export's metrics by name. */
  async metrics(): Promise<Map<string, MetricData>> {
    await this.reader.forceFlush();
    const exports = this.metricExporter.getMetrics();
    const latest = exports[exports.length - 1];
    const byName = new Map<string, MetricData>();
    for (const scope of latest?.scopeMetrics ?? [])
      for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
    return byName;
  }

  async shutdown(): Promise<void> {
    await this.meterProvider.shutdown();
    await this.tracerProvider.shutdown();
  }
}

/** The data point of `metric` whose attributes include all of `attributes`. */
export function point<T>(
  metric: MetricData | undefined,
  attributes: Record<string, unknown>,
): DataPoint<T> | undefined {
  if (!metric) return undefined;
  const points = metric.dataPoints as DataPoint<T>[];
  return points.find((candidate) =>
    Object.entries(attributes).every(([key, value]) => candidate.attributes[key] === value),
  );
}

/** Sum of the `count` of every histogram point of `metric` matching `attributes`. */
export function histogramCount(metric: MetricData | undefined, attributes: Record<string, unknown> = {}): number {
  if (!metric || metric.dataPointType !== DataPointType.HISTOGRAM) return 0;
  return (metric.dataPoints as DataPoint<Histogram>[])
    .filter((candidate) => Object.entries(attributes).every(([key, value]) => candidate.attributes[key] === value))
    .reduce((total, candidate) => total + candidate.value.count, 0);
}

/** True when `child`'s parent is `parent`. */
export function isChildOf(child: ReadableSpan, parent: ReadableSpan): boolean {
  return (
    child.parentSpanContext?.spanId === parent.spanContext().spanId &&
    child.spanContext().traceId === parent.spanContext().traceId
  );
}

/** Per-test setup: async context, a fresh harness, and `instrument` wired to it (detached after each test). */
export function useOtel(): {
  readonly otel: OtelHarness;
  instrument(supervisor: Supervisor, options?: InstrumentOptions): Supervisor;
} {
  let undoContext: () => void;
  let current: OtelHarness;
  let detach: Detach | undefined;
  beforeAll(() => {
    undoContext = useAsyncContext();
  });
  afterAll(() => undoContext());
  beforeEach(() => {
    current = new OtelHarness();
  });
  afterEach(async () => {
    vi.useRealTimers();
    detach?.();
    detach = undefined;
    await current.shutdown();
  });
  return {
    get otel() {
      return current;
    },
    instrument(supervisor, options) {
      detach = instrument(supervisor, {
        tracerProvider: current.tracerProvider,
        meterProvider: current.meterProvider,
        ...options,
      });
      return supervisor;
    },
  };
}
