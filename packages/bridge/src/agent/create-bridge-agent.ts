import type { Agent, AgentHealthCheck, ErrorClassifier, StepContext } from '@baton/core';
import { BridgeClosedError } from '../errors/bridge-closed-error.js';
import { BridgeConfigError } from '../errors/bridge-config-error.js';
import type { RunResultWire } from '../protocol/types.js';
import { BridgePool } from '../stdio/bridge-pool.js';
import type { BridgeWorkerOptions } from '../stdio/worker-options.js';
import { resolveTraceContext, type TraceparentSource } from '../trace/traceparent.js';

/** Options of {@link createBridgeAgent}. */
export interface BridgeAgentOptions extends Omit<BridgeWorkerOptions, 'runners'> {
  /** Agent id: the default circuit-breaker and health key. */
  id: string;
  name?: string;
  /** Runner name: `'crewai'`, `'autogen'`, `'callable'`, or any registered runner (`'module:Class'` too). */
  runner: string;
  /** What the runner runs, as `'module:attr'` (e.g. `'my_app.crews:build_crew'`). */
  target: string;
  /** Pool sizing, or a shared {@link BridgePool} (which `close()` then leaves open). @default { size: 1 } */
  pool?: { size?: number; concurrency?: number } | BridgePool;
  /** Runner-specific options, passed to the runner as `ctx.options`. */
  runnerOptions?: Record<string, unknown>;
  /** Trace context per run; default: the active `@opentelemetry/api` span, when that peer is installed. */
  traceparent?: TraceparentSource;
  /** Classifies this agent's errors before core's rules. */
  classifyError?: ErrorClassifier;
  /** Model provider, for traces. */
  provider?: string;
}

/** Shared by the stdio and HTTP agents: the run request a step context produces. */
export async function runRequestFor(
  input: unknown,
  ctx: StepContext,
  options: {
    runner: string;
    target: string;
    runnerOptions?: Record<string, unknown>;
    traceparent?: TraceparentSource;
  },
) {
  // The step's own trace context (filled by @baton/otel) wins over the ambient active span.
  const step = ctx.traceContext;
  const fromStep: TraceparentSource | undefined = step?.traceparent
    ? () => ({ traceparent: step.traceparent!, ...(step.tracestate ? { tracestate: step.tracestate } : {}) })
    : undefined;
  const trace = await resolveTraceContext(options.traceparent ?? fromStep);
  return {
    runner: options.runner,
    target: options.target,
    input,
    runId: ctx.runId,
    stepId: ctx.stepId,
    idempotencyKey: ctx.idempotencyKey,
    ...(trace ? { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) } : {}),
    ...(options.runnerOptions ? { options: options.runnerOptions } : {}),
  };
}

/** Reports usage (if any) on the step context and returns the output. */
export function unwrapResult(result: RunResultWire, ctx: StepContext): unknown {
  if (result.usage && Object.keys(result.usage).length > 0) ctx.reportUsage(result.usage);
  return result.output;
}

/** The agent `createBridgeAgent` returns: an `Agent` whose `health` and `close` are always there. */
export interface BridgeAgent<TInput = unknown, TOutput = unknown> extends Agent<TInput, TOutput> {
  /** Checks the runner's health through the worker pool. */
  health(signal: AbortSignal): Promise<AgentHealthCheck>;
  /** Stops this agent's workers (a shared pool given in `pool` is left open); later `invoke`s reject. */
  close(): Promise<void>;
}

/**
 * A Baton agent backed by pooled Python workers. Each `invoke` sends a `run` with the step's
 * ids, input and trace context; progress events become `ctx.emit` calls; usage goes to
 * `ctx.reportUsage`; aborting the step cancels the run (then kills the worker after
 * `killGraceMs`). Failures arrive as classified Baton errors.
 *
 * Types: the worker's input and output are JSON the TypeScript side cannot see, so they
 * are `unknown` unless declared (`createBridgeAgent<Input, Output>(...)`); declare them, or
 * give the step an `output` schema, so that downstream steps are typed (and checked).
 */
export function createBridgeAgent<TInput = unknown, TOutput = unknown>(
  options: BridgeAgentOptions,
): BridgeAgent<TInput, TOutput> {
  const { id, name, runner, target, pool, runnerOptions, traceparent, classifyError, provider, ...workerOptions } =
    options;
  for (const [key, value] of [
    ['id', id],
    ['runner', runner],
  ] as const) {
    if (typeof value !== 'string' || value.length === 0) {
      throw new BridgeConfigError({
        message: `createBridgeAgent: '${key}' must be a non-empty string, got ${JSON.stringify(value)}`,
      });
    }
  }
  if (typeof target !== 'string') {
    throw new BridgeConfigError({
      message: `createBridgeAgent: 'target' must be a string ('module:attr'), got ${JSON.stringify(target)}`,
    });
  }
  const shared = pool instanceof BridgePool;
  const workers = shared ? pool : new BridgePool({ ...workerOptions, ...pool, runners: [runner] });
  let closed = false;
  const agent: BridgeAgent = {
    id,
    ...(name !== undefined ? { name } : {}),
    ...(provider !== undefined ? { provider } : {}),
    // The agent runs in another process: traces show its calls as CLIENT spans.
    remote: true,
    ...(classifyError ? { classifyError } : {}),
    async invoke(input: unknown, ctx: StepContext): Promise<unknown> {
      if (closed) throw new BridgeClosedError(`Bridge agent '${id}'`);
      const request = await runRequestFor(input, ctx, { runner, target, runnerOptions, traceparent });
      const result = await workers.run(request, { signal: ctx.signal, onProgress: (event) => ctx.emit(event) });
      return unwrapResult(result, ctx);
    },
    health(signal: AbortSignal): Promise<AgentHealthCheck> {
      return workers.health(signal, runner);
    },
    async close(): Promise<void> {
      closed = true;
      if (!shared) await workers.close();
    },
  };
  // The wire carries JSON: the declared types are the caller's promise (or their output schema's check).
  return agent as BridgeAgent<TInput, TOutput>;
}
