// Per-step overhead of @baton/otel: the same workflow with and without
// instrument(), with a real SDK whose exporters drop everything.
// Target (issue 6): instrumented ≤ 2× the uninstrumented per-step time.
//
// Run: pnpm --filter @baton/otel bench   (options: --steps 200 --runs 50 --rounds 7)
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createSupervisor, defineWorkflow, type StepDefinition, type Supervisor } from '@baton/core';
import { instrument } from '../src/index.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '200' }, runs: { type: 'string', default: '50' }, rounds: { type: 'string', default: '7' } } });
const STEPS = Number(values.steps);
const RUNS = Number(values.runs);
const ROUNDS = Number(values.rounds);

/** Accepts and drops every span. */
class NoopExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A reader nobody collects from: metric recording cost without export cost. */
class IdleReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A chain of trivial steps: measures Baton's own per-step cost, which the instrumentation adds to. */
function chainWorkflow(length: number) {
  const steps: Record<string, StepDefinition> = {};
  for (let index = 0; index < length; index++) {
    steps[`s${index}`] = { run: (input: number) => (input ?? 0) + 1, ...(index > 0 ? { needs: [`s${index - 1}`] } : {}) };
  }
  return defineWorkflow({ name: 'bench-chain', version: '1', steps });
}

async function perStepMicros(supervisor: Supervisor, workflow: ReturnType<typeof chainWorkflow>): Promise<number> {
  const started = performance.now();
  for (let run = 0; run < RUNS; run++) {
    const result = await supervisor.run(workflow, 0);
    if (result.status !== 'succeeded') throw new Error(`bench run ${result.status}`);
  }
  return ((performance.now() - started) * 1000) / (RUNS * STEPS);
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new NoopExporter())] });
const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
const workflow = chainWorkflow(STEPS);
const plain = createSupervisor();
const traced = createSupervisor();
const tracedOnly = createSupervisor();
const detach = instrument(traced, { tracerProvider, meterProvider });
const detachTracesOnly = instrument(tracedOnly, { tracerProvider, metrics: false });

// Warm up both paths (JIT, lazy plan compilation), then alternate rounds so drift hits both equally.
await perStepMicros(plain, workflow);
await perStepMicros(traced, workflow);
await perStepMicros(tracedOnly, workflow);
const baseline: number[] = [];
const instrumented: number[] = [];
const tracesOnly: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  baseline.push(await perStepMicros(plain, workflow));
  instrumented.push(await perStepMicros(traced, workflow));
  tracesOnly.push(await perStepMicros(tracedOnly, workflow));
}
detach();
detachTracesOnly();
await tracerProvider.shutdown();
await meterProvider.shutdown();

const base = median(baseline);
const withOtel = median(instrumented);
const ratio = withOtel / base;
const spansOnly = median(tracesOnly);
console.log(`@baton/otel overhead — ${STEPS}-step chain × ${RUNS} runs × ${ROUNDS} rounds (median)`);
console.log(`  uninstrumented  ${base.toFixed(2)} µs/step`);
console.log(`  instrumented    ${withOtel.toFixed(2)} µs/step  (no-op exporter, batch processor, metrics on)`);
console.log(`  traces only     ${spansOnly.toFixed(2)} µs/step  (metrics: false) — ${(spansOnly / base).toFixed(2)}×`);
console.log(`  ratio           ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`);
