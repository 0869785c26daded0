import type { BreakerPermit } from '../breaker/circuit-breaker.js';
import { CircuitOpenError, StepTimeoutError } from '../errors/errors.js';
import { raceAbort } from '../internal/abort.js';
import type { ErrorClassification } from '../retry/classify-error.js';
import type { Agent } from '../workflow/types.js';
import type { PlannedStep } from './compile-plan.js';
import type { RunHost } from './run-host.js';
import { assertStorable } from './serialize.js';
import { AttemptContext } from './step-context.js';
import { emitStep, emitStepStarted } from './step-events.js';

/** One attempt's result. */
export type AttemptResult =
  | { ok: true; output: unknown }
  | {
      ok: false;
      error: unknown;
      classification: ErrorClassification;
      /** The breaker refused the attempt (and every fallback's): no call was made. */
      refused?: BreakerRefusal;
    };

/** Which breaker refused an attempt, in which state (as step events report it). */
export interface BreakerRefusal {
  key: string;
  state: 'open' | 'half_open';
}

/** The classification of any error once the run is stopping. */
export const CANCELLED: ErrorClassification = { kind: 'cancelled' };

/**
 * Runs one attempt of a step: breaker (and fallback), limits, timeout, middleware, the call.
 * (Plain function steps take a shorter road on their first attempt: see plain-attempt.ts.)
 */
export async function runAttempt(
  host: RunHost,
  step: PlannedStep,
  input: unknown,
  attempt: number,
  deadline: number,
): Promise<AttemptResult> {
  const chosen = chooseAgent(host, step, attempt);
  if ('error' in chosen) {
    const { error } = chosen;
    const classification = host.services.classify(error, step.agent);
    return error instanceof CircuitOpenError
      ? { ok: false, error, classification, refused: { key: error.key, state: error.state } }
      : { ok: false, error, classification };
  }
  const { agent, permit, key } = chosen;
  // The attempt's own signal when the step has a timeout; otherwise undefined, meaning the run's.
  const timeout = step.timeoutMs === undefined ? undefined : timeoutSignal(host.signal, step);
  const signal = timeout?.signal;
  let started = Date.now();
  let release: (() => void) | undefined;
  let invoked = false;
  let answered = false;
  // Health is per agent id (the agent that ran: a fallback's own), whatever key its breaker and limits use.
  const healthKey = agent?.id ?? key;
  try {
    if (key && host.services.resources.isLimited(key)) {
      release = await host.services.resources.acquire(key, signal ?? host.signal, deadline, (reason, waitMs) =>
        emitStep(host, step, agent, {
          type: 'step.waiting',
          attempt,
          reason,
          key,
          ...(waitMs === undefined ? {} : { waitMs }),
        }),
      );
    }
    started = Date.now();
    emitStepStarted(host, step, agent, attempt, started);
    invoked = true;
    const output = await invoke(host, step, agent, input, attempt, signal);
    permit?.success();
    if (healthKey) host.services.resources.health.record(healthKey, true, Date.now() - started);
    answered = true; // the call is counted once, as a success, even if its output then cannot be stored
    assertStorable(step.id, output, host.services.maxOutputBytes);
    return { ok: true, output };
  } catch (error) {
    const classification = classifyAttemptError(host, signal, error, agent);
    // Only a call that was made says something about the agent: a local wait (concurrency slot, rate token)
    // that gave up is neither a breaker failure nor a health sample.
    const counted =
      invoked &&
      (classification.kind === 'retryable' ||
        classification.kind === 'rate_limited' ||
        classification.kind === 'timeout');
    if (counted) permit?.failure();
    else permit?.neutral();
    if (healthKey && invoked && !answered && !host.aborted)
      host.services.resources.health.record(healthKey, false, Date.now() - started);
    if (signal?.reason instanceof StepTimeoutError && !host.aborted) {
      emitStep(host, step, agent, { type: 'step.timed_out', attempt, timeoutMs: step.timeoutMs! });
    }
    return { ok: false, error: signal?.aborted && !host.aborted ? signal.reason : error, classification };
  } finally {
    release?.();
    timeout?.dispose();
  }
}

function invoke(
  host: RunHost,
  step: PlannedStep,
  agent: Agent | undefined,
  input: unknown,
  attempt: number,
  signal: AbortSignal | undefined,
): Promise<unknown> | unknown {
  const wrap = host.services.wrapStep;
  const carrier: Record<string, string> | undefined = wrap ? {} : undefined;
  const ctx = new AttemptContext(host, step, agent, attempt, signal, carrier);
  const call = agent === step.agent ? () => step.call(input, ctx) : () => agent!.invoke(input, ctx);
  const result = wrap
    ? wrap(
        {
          runId: host.runId,
          stepId: step.id,
          attempt,
          workflow: host.workflow,
          ctx,
          input,
          carrier: carrier!,
          ...(agent ? { agent: agentInfo(agent) } : {}),
        },
        async () => call(),
      )
    : call();
  if (!(result instanceof Promise) && !isThenable(result)) return result;
  // The run settles its own races when it aborts (no listener per step); child signals (step timeouts) race on their own.
  return signal === undefined ? host.race(Promise.resolve(result)) : raceAbort(Promise.resolve(result), signal);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function agentInfo(agent: Agent): { id: string; name?: string; provider?: string; remote?: true } {
  return {
    id: agent.id,
    ...(agent.name ? { name: agent.name } : {}),
    ...(agent.provider ? { provider: agent.provider } : {}),
    ...(agent.remote ? { remote: true as const } : {}),
  };
}

/** Takes the primary's breaker permit, or a fallback's when the primary is open. */
function chooseAgent(
  host: RunHost,
  step: PlannedStep,
  attempt: number,
): { agent: Agent | undefined; permit: BreakerPermit | undefined; key: string | undefined } | { error: unknown } {
  if (!step.breakerKey) return { agent: step.agent, permit: undefined, key: step.resourceKey };
  const resources = host.services.resources;
  try {
    return {
      agent: step.agent,
      permit: resources.breaker(step.breakerKey, step.breakerOptions).acquire(),
      key: step.resourceKey,
    };
  } catch (openError) {
    for (const fallback of step.definition.fallback ?? []) {
      try {
        const permit = resources.breaker(fallback.id, step.breakerOptions).acquire();
        emitStep(host, step, fallback, { type: 'step.fallback', attempt, from: step.breakerKey, to: fallback.id });
        return { agent: fallback, permit, key: fallback.id };
      } catch {
        // this fallback is open too; try the next
      }
    }
    return { error: openError };
  }
}

/** A child of the run signal that also aborts after the step's timeout. */
function timeoutSignal(runSignal: AbortSignal, step: PlannedStep): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onRunAbort = () => controller.abort(runSignal.reason);
  if (runSignal.aborted) onRunAbort();
  else runSignal.addEventListener('abort', onRunAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new StepTimeoutError(step.id, step.timeoutMs!)), step.timeoutMs);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      runSignal.removeEventListener('abort', onRunAbort);
    },
  };
}

function classifyAttemptError(
  host: RunHost,
  signal: AbortSignal | undefined,
  error: unknown,
  agent: Agent | undefined,
): ErrorClassification {
  if (host.aborted) return CANCELLED; // the run is stopping: never retry
  if (signal?.aborted && signal.reason instanceof StepTimeoutError) return { kind: 'timeout' };
  return host.services.classify(error, agent);
}
