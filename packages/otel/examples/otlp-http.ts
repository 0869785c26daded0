// Exports Baton's spans and metrics as OTLP over HTTP (JSON).
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 pnpm --filter @baton/otel example:otlp
//     sends to a real collector (Jaeger, Grafana Alloy/Tempo, the OpenTelemetry Collector, ...).
//   pnpm --filter @baton/otel example:otlp
//     without the variable, starts a tiny local receiver and prints what it receives.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSupervisor } from '@baton/core';
import { instrument } from '../src/index.js'; // in your app: import { instrument } from '@baton/otel';
import { researchWorkflow } from './shared-workflow.js';

interface OtlpTraces {
  resourceSpans?: { scopeSpans?: { spans?: { name: string; traceId: string }[] }[] }[];
}
interface OtlpMetrics {
  resourceMetrics?: { scopeMetrics?: { metrics?: { name: string }[] }[] }[];
}

/** A minimal OTLP/HTTP JSON receiver: accepts /v1/traces and /v1/metrics and prints names. */
function startReceiver(): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as OtlpTraces & OtlpMetrics;
      if (request.url === '/v1/traces') {
        for (const span of body.resourceSpans?.flatMap((r) => r.scopeSpans ?? []).flatMap((s) => s.spans ?? []) ?? []) {
          console.log(`[receiver] span   ${span.name}  (trace ${span.traceId})`);
        }
      } else if (request.url === '/v1/metrics') {
        for (const metric of body.resourceMetrics
          ?.flatMap((r) => r.scopeMetrics ?? [])
          .flatMap((s) => s.metrics ?? []) ?? []) {
          console.log(`[receiver] metric ${metric.name}`);
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const receiver = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? undefined : await startReceiver();
// With no explicit url the exporters read OTEL_EXPORTER_OTLP_ENDPOINT (and the per-signal variables) themselves.
const base = receiver ? `http://127.0.0.1:${(receiver.address() as AddressInfo).port}` : undefined;
const resource = resourceFromAttributes({ 'service.name': 'baton-otlp-example' });

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new TracerProvider({
  resource,
  spanProcessors: [
    new BatchSpanProcessor({ exporter: new OTLPTraceExporter(base ? { url: `${base}/v1/traces` } : {}) }),
  ],
});
trace.setGlobalTracerProvider(tracerProvider); // so the example's own "user code" span is exported too
const meterProvider = new MeterProvider({
  resource,
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter(base ? { url: `${base}/v1/metrics` } : {}),
      exportIntervalMillis: 10_000,
    }),
  ],
});

const supervisor = createSupervisor();
const detach = instrument(supervisor, { tracerProvider, meterProvider });
const result = await supervisor.run(researchWorkflow, { topic: 'OpenTelemetry' });
console.log(`run ${result.runId}: ${result.status} — exporting to ${base ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`);

await tracerProvider.shutdown(); // flushes the batch
await meterProvider.shutdown(); // exports the metrics one last time (gauges included, so before detach)
detach();
receiver?.close();
