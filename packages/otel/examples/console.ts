// Prints Baton's spans and metrics to the console.
// Run: pnpm --filter @baton/otel example:console
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { ConsoleSpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSupervisor } from '@baton/core';
import { instrument } from '../src/index.js'; // in your app: import { instrument } from '@baton/otel';
import { researchWorkflow } from './shared-workflow.js';

const resource = resourceFromAttributes({ 'service.name': 'baton-console-example' });
// The context manager is what lets spans made inside a step find the step's span.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new TracerProvider({
  resource,
  spanProcessors: [new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })],
});
trace.setGlobalTracerProvider(tracerProvider); // so the example's own "user code" span is recorded too
const meterProvider = new MeterProvider({
  resource,
  readers: [new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: 60_000 })],
});

const supervisor = createSupervisor();
const detach = instrument(supervisor, { tracerProvider, meterProvider });

const result = await supervisor.run(researchWorkflow, { topic: ' OpenTelemetry ' });
console.log(`\nrun ${result.runId}: ${result.status}\n`);

// Shut the providers down first: the final export still reads the breaker and health gauges.
await meterProvider.shutdown();
await tracerProvider.shutdown();
detach();
