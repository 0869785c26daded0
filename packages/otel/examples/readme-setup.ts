// The README's "Use" snippet, verbatim between the markers: `tsc` (examples are type-checked) keeps it compiling
// against the SDK this package is tested with, and src/readme.test.ts keeps it identical to the README.
// Type-checked only, never run (it would export to localhost:4318).
// README snippet start
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSupervisor } from '@baton/core';
import { instrument } from '@baton/otel';

// Needed for step code to run inside the step span's context (NodeSDK registers one for you).
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new TracerProvider({
  spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
});
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })],
});

const supervisor = createSupervisor();
const detach = instrument(supervisor, { tracerProvider, meterProvider });
await supervisor.run(workflow, input);
// on shutdown: await tracerProvider.shutdown(); await meterProvider.shutdown(); detach();
// README snippet end

// What the snippet's last comment says to do on shutdown.
await tracerProvider.shutdown();
await meterProvider.shutdown();
detach();

// What the snippet leaves to the reader: a workflow and its input.
declare const workflow: Parameters<typeof supervisor.run>[0];
declare const input: unknown;
