import type { Attributes, Link, Span } from '@opentelemetry/api';
import type { SupervisorEvent, SupervisorEventOf, SupervisorEventType } from '@baton/core';
import {
  ATTR_BATON_BREAKER_CONSECUTIVE_FAILURES,
  ATTR_BATON_BREAKER_FROM,
  ATTR_BATON_BREAKER_KEY,
  ATTR_BATON_BREAKER_REASON,
  ATTR_BATON_BREAKER_STATE,
  ATTR_BATON_CHECKPOINT_RECORD_TYPE,
  ATTR_BATON_ERROR_KIND,
  ATTR_BATON_FALLBACK_FROM,
  ATTR_BATON_FALLBACK_TO,
  ATTR_BATON_LINK_TYPE,
  ATTR_BATON_RETRY_DELAY_MS,
  ATTR_BATON_RETRY_NEXT_ATTEMPT,
  ATTR_BATON_RUN_FAILED_STEP,
  ATTR_BATON_RUN_RESUMED,
  ATTR_BATON_RUN_STATUS,
  ATTR_BATON_RUN_STEP_COUNT,
  ATTR_BATON_STEP_ATTEMPT,
  ATTR_BATON_STEP_ID,
  ATTR_BATON_STEP_SKIP_REASON,
  ATTR_BATON_STEP_STATUS,
  ATTR_BATON_STEP_TIMEOUT_MS,
  ATTR_BATON_WAIT_KEY,
  ATTR_BATON_WAIT_MS,
  ATTR_BATON_WAIT_REASON,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_WORKFLOW_NAME,
  EVENT_BREAKER_CLOSED,
  EVENT_BREAKER_HALF_OPENED,
  EVENT_BREAKER_OPENED,
  EVENT_BREAKER_REFUSED,
  EVENT_STEP_CANCELLED,
  EVENT_STEP_FALLBACK,
  EVENT_STEP_RESTORED,
  EVENT_STEP_RETRY,
  EVENT_STEP_SKIPPED,
  EVENT_STEP_TIMEOUT,
  EVENT_STEP_WAITING,
} from './attributes.js';
import { AttributeCache, compact, seconds, type BatonMetrics } from './metrics.js';
import { errorType, type AgentInfo, type AttemptTrace, type RunTrace, type RunTracer } from './run-tracer.js';
import { findStoredTraceContext } from './trace-context.js';

type StepEvent = Extract<SupervisorEvent, { stepId: string; attempt: number }>;
type Handlers = { [T in SupervisorEventType]?: (event: SupervisorEventOf<T>) => void };

const BREAKER_EVENTS = {
  'breaker.opened': EVENT_BREAKER_OPENED,
  'breaker.half_opened': EVENT_BREAKER_HALF_OPENED,
  'breaker.closed': EVENT_BREAKER_CLOSED,
} as const;

/** The agent named on a step event, if any. */
function agentOf(event: StepEvent): AgentInfo | undefined {
  return event.agentId
    ? { id: event.agentId, name: event.agentName, provider: event.provider, remote: event.remote }
    : undefined;
}

/** What every handler group shares. */
interface HandlerContext {
  tracer: RunTracer;
  metrics: BatonMetrics | undefined;
  /** Metric attribute sets, one cache per instrument family (their keys differ). */
  cache: { stepDuration: AttributeCache; checkpoint: AttributeCache; refusals: AttributeCache };
  /** The attempt span for a step event, opened now if no earlier event or middleware opened it. */
  attemptFor(event: StepEvent): { run: RunTrace; attempt: AttemptTrace } | undefined;
  stepDuration(event: StepEvent & { durationMs: number }, status: string, type?: string): void;
}

/**
 * Maps each supervisor event onto spans, span events and metrics. Events of
 * runs this instrumentation never saw start (it was attached mid-run) are
 * ignored, apart from metrics that need no run span.
 */
export function createEventHandlers(
  tracer: RunTracer,
  metrics: BatonMetrics | undefined,
  pluginName: string,
): Handlers {
  const cache = {
    stepDuration: new AttributeCache(),
    checkpoint: new AttributeCache(),
    refusals: new AttributeCache(),
  };
  const context: HandlerContext = {
    tracer,
    metrics,
    cache,
    attemptFor: (event) => {
      const run = tracer.get(event.runId);
      return run ? { run, attempt: tracer.attempt(run, event.stepId, event.attempt, agentOf(event)) } : undefined;
    },
    stepDuration: (event, status, type) => {
      if (!metrics) return;
      const {
        workflow: { name },
        stepId,
      } = event;
      metrics.stepDuration.record(
        seconds(event.durationMs),
        cache.stepDuration.get(name, stepId, type === undefined ? status : `${status}\0${type}`, () =>
          compact({
            [ATTR_GEN_AI_WORKFLOW_NAME]: name,
            [ATTR_BATON_STEP_ID]: stepId,
            [ATTR_BATON_STEP_STATUS]: status,
            [ATTR_ERROR_TYPE]: type,
          }),
        ),
      );
    },
  };
  return {
    ...runHandlers(context, pluginName),
    ...stepOutcomeHandlers(context),
    ...stepNoteHandlers(context),
    ...resourceHandlers(context),
  };
}

/** `run.started` opens (or completes) the run span; `run.completed` closes it. */
function runHandlers({ tracer, metrics }: HandlerContext, pluginName: string): Handlers {
  return {
    'run.started': (event) => {
      const stored = findStoredTraceContext(event.resumedFrom, pluginName);
      const links: Link[] = stored ? [{ context: stored, attributes: { [ATTR_BATON_LINK_TYPE]: 'resumed_from' } }] : [];
      const existing = tracer.get(event.runId);
      const run = existing ?? tracer.startRun(event.runId, event.workflow, links);
      // A span opened by runMeta did not know the resumed run yet; links added after creation need API ≥ 1.9 (our peer floor).
      if (existing && links.length > 0) existing.span.addLinks(links);
      for (const [stepId, meta] of Object.entries(event.resumedSteps ?? {})) {
        const last = findStoredTraceContext(meta, pluginName);
        if (last) run.previousExecution.set(stepId, last);
      }
      run.span.setAttributes({ [ATTR_BATON_RUN_RESUMED]: event.resumed, [ATTR_BATON_RUN_STEP_COUNT]: event.stepCount });
      if (!run.started) metrics?.runsActive.add(1, { [ATTR_GEN_AI_WORKFLOW_NAME]: event.workflow.name });
      run.started = true;
    },
    'run.rejected': (event) => {
      // The start record was refused (e.g. the run id exists): the span runMeta opened never becomes a run.
      const run = tracer.get(event.runId);
      if (run && !run.started)
        tracer.endRun(
          run,
          { name: 'RunNotStarted', message: 'The run did not start' },
          { [ATTR_BATON_RUN_STATUS]: 'not_started' },
        );
    },
    'run.completed': (event) => {
      const run = tracer.get(event.runId);
      const type = event.error ? errorType(event.error) : undefined;
      metrics?.runDuration.record(
        seconds(event.durationMs),
        compact({
          [ATTR_GEN_AI_WORKFLOW_NAME]: event.workflow.name,
          [ATTR_BATON_RUN_STATUS]: event.status,
          [ATTR_ERROR_TYPE]: type,
        }),
      );
      if (!run) return;
      if (run.started) metrics?.runsActive.add(-1, { [ATTR_GEN_AI_WORKFLOW_NAME]: event.workflow.name });
      tracer.endRun(
        run,
        // A suspended run is not an error: its span ends at the suspension; the resumed run's span links to it.
        event.status === 'succeeded' || event.status === 'suspended'
          ? undefined
          : (event.error ?? { name: 'RunNotSucceeded', message: `Run ${event.status}`, code: event.status }),
        compact({ [ATTR_BATON_RUN_STATUS]: event.status, [ATTR_BATON_RUN_FAILED_STEP]: event.failedStep }),
      );
    },
  };
}

/** Events that end an attempt span (and, for the step's last attempt, record the step's duration). */
function stepOutcomeHandlers(context: HandlerContext): Handlers {
  const { tracer, metrics, attemptFor, stepDuration } = context;
  return {
    // The two events every step emits: the same as attemptFor, without allocating its result.
    'step.started': (event) => {
      const run = tracer.get(event.runId);
      if (run) tracer.attempt(run, event.stepId, event.attempt, agentOf(event));
    },
    'step.succeeded': (event) => {
      const run = tracer.get(event.runId);
      if (run) tracer.endAttempt(run, tracer.attempt(run, event.stepId, event.attempt, agentOf(event)), 'succeeded');
      stepDuration(event, 'succeeded');
    },
    'step.retrying': (event) => {
      if (event.refused) return onRefused(context, event, event.refused);
      metrics?.stepRetries.add(1, {
        [ATTR_GEN_AI_WORKFLOW_NAME]: event.workflow.name,
        [ATTR_BATON_STEP_ID]: event.stepId,
        [ATTR_BATON_ERROR_KIND]: event.classification.kind,
      });
      const found = attemptFor(event);
      if (!found) return;
      found.attempt.span.addEvent(EVENT_STEP_RETRY, {
        [ATTR_BATON_RETRY_DELAY_MS]: event.delayMs,
        [ATTR_BATON_RETRY_NEXT_ATTEMPT]: event.attempt + 1,
        [ATTR_BATON_ERROR_KIND]: event.classification.kind,
      });
      tracer.endAttempt(found.run, found.attempt, 'retrying', event.error, event.classification.kind);
    },
    'step.failed': (event) => {
      if (event.refused) onRefused(context, event, event.refused);
      else {
        const found = attemptFor(event);
        if (found) tracer.endAttempt(found.run, found.attempt, event.status, event.error, event.classification.kind);
      }
      stepDuration(event, event.status, errorType(event.error));
    },
    'step.suspended': (event) => {
      const found = attemptFor(event);
      if (found) {
        found.attempt.span.setAttribute(ATTR_BATON_WAIT_KEY, event.key);
        tracer.endAttempt(found.run, found.attempt, 'suspended');
      }
    },
    'step.cancelled': (event) => {
      const found = attemptFor(event);
      if (found) {
        found.attempt.span.addEvent(EVENT_STEP_CANCELLED, { [ATTR_ERROR_TYPE]: errorType(event.reason) });
        // The status the run's result and records give the step (timed_out at the run's deadline), never a second opinion.
        tracer.endAttempt(
          found.run,
          found.attempt,
          event.status,
          event.reason,
          event.status === 'timed_out' ? 'timeout' : 'cancelled',
        );
      }
      stepDuration(event, event.status, errorType(event.reason));
    },
  };
}

/** Events that annotate an attempt or run span without ending it. */
function stepNoteHandlers({ tracer, metrics, attemptFor }: HandlerContext): Handlers {
  return {
    'step.timed_out': (event) =>
      attemptFor(event)?.attempt.span.addEvent(EVENT_STEP_TIMEOUT, { [ATTR_BATON_STEP_TIMEOUT_MS]: event.timeoutMs }),
    'step.waiting': (event) =>
      attemptFor(event)?.attempt.span.addEvent(
        EVENT_STEP_WAITING,
        compact({
          [ATTR_BATON_WAIT_REASON]: event.reason,
          [ATTR_BATON_WAIT_KEY]: event.key,
          [ATTR_BATON_WAIT_MS]: event.waitMs,
        }),
      ),
    'step.fallback': (event) =>
      attemptFor(event)?.attempt.span.addEvent(EVENT_STEP_FALLBACK, {
        [ATTR_BATON_FALLBACK_FROM]: event.from,
        [ATTR_BATON_FALLBACK_TO]: event.to,
      }),
    'step.usage': (event) => recordUsage(tracer, metrics, event),
    'step.skipped': (event) =>
      tracer.get(event.runId)?.span.addEvent(EVENT_STEP_SKIPPED, {
        [ATTR_BATON_STEP_ID]: event.stepId,
        [ATTR_BATON_STEP_SKIP_REASON]: event.reason,
      }),
    'step.restored': (event) =>
      tracer.get(event.runId)?.span.addEvent(EVENT_STEP_RESTORED, {
        [ATTR_BATON_STEP_ID]: event.stepId,
        [ATTR_BATON_STEP_STATUS]: event.status,
      }),
  };
}

/** Checkpoint latency and breaker transitions: supervisor-wide resources. */
function resourceHandlers({ tracer, metrics, cache }: HandlerContext): Handlers {
  const breakers: Handlers = {
    'breaker.opened': (event) => onBreaker(tracer, metrics, event),
    'breaker.half_opened': (event) => onBreaker(tracer, metrics, event),
    'breaker.closed': (event) => onBreaker(tracer, metrics, event),
  };
  // Checkpoint latency is a metric only: without metrics, not listening lets core skip timing appends and building the events.
  if (!metrics) return breakers;
  return {
    ...breakers,
    'checkpoint.appended': (event) =>
      metrics.checkpointAppendDuration.record(
        seconds(event.durationMs),
        cache.checkpoint.get(event.workflow.name, event.recordType, '', () => ({
          [ATTR_GEN_AI_WORKFLOW_NAME]: event.workflow.name,
          [ATTR_BATON_CHECKPOINT_RECORD_TYPE]: event.recordType,
        })),
      ),
  };
}

/**
 * A breaker refused an attempt: no call was made, so no `invoke_agent` span and no retry count. It is an event on
 * the run span (the step has no span of its own besides its attempts') and a point of `baton.breaker.refusals`.
 */
function onRefused(
  { tracer, metrics, cache }: HandlerContext,
  event: SupervisorEventOf<'step.retrying' | 'step.failed'>,
  refused: { key: string; state: string },
): void {
  const {
    workflow: { name },
    stepId,
  } = event;
  metrics?.breakerRefusals.add(
    1,
    cache.refusals.get(name, stepId, `${refused.key}\0${refused.state}`, () => ({
      [ATTR_GEN_AI_WORKFLOW_NAME]: name,
      [ATTR_BATON_STEP_ID]: stepId,
      [ATTR_BATON_BREAKER_KEY]: refused.key,
      [ATTR_BATON_BREAKER_STATE]: refused.state,
    })),
  );
  tracer.get(event.runId)?.span.addEvent(
    EVENT_BREAKER_REFUSED,
    compact({
      [ATTR_BATON_STEP_ID]: stepId,
      [ATTR_BATON_STEP_ATTEMPT]: event.attempt,
      [ATTR_GEN_AI_AGENT_ID]: event.agentId,
      [ATTR_BATON_BREAKER_KEY]: refused.key,
      [ATTR_BATON_BREAKER_STATE]: refused.state,
      [ATTR_BATON_RETRY_DELAY_MS]: event.type === 'step.retrying' ? event.delayMs : undefined,
    }),
  );
}

/**
 * Breaker events carry no run: `opened` and `closed` go on every open attempt of that agent key (the call whose
 * outcome moved the breaker), `half_opened` on the next one (the probe: the transition happens as it asks), and
 * trips are counted.
 */
function onBreaker(
  tracer: RunTracer,
  metrics: BatonMetrics | undefined,
  event: SupervisorEventOf<'breaker.opened' | 'breaker.half_opened' | 'breaker.closed'>,
): void {
  if (event.type === 'breaker.opened') metrics?.breakerTrips.add(1, { [ATTR_BATON_BREAKER_KEY]: event.key });
  const attributes: Attributes = {
    [ATTR_BATON_BREAKER_KEY]: event.key,
    [ATTR_BATON_BREAKER_FROM]: event.from,
    [ATTR_BATON_BREAKER_REASON]: event.reason,
    [ATTR_BATON_BREAKER_CONSECUTIVE_FAILURES]: event.consecutiveFailures,
  };
  if (event.type === 'breaker.half_opened') return tracer.halfOpened(event.key, attributes);
  for (const attempt of tracer.attemptsForAgent(event.key))
    attempt.span.addEvent(BREAKER_EVENTS[event.type], attributes);
}

/** Token usage: summed onto the attempt span, and one histogram point per token type. */
function recordUsage(
  tracer: RunTracer,
  metrics: BatonMetrics | undefined,
  event: SupervisorEventOf<'step.usage'>,
): void {
  const { usage } = event;
  // The agent's own provider wins; a bridge worker learns it only at call time and reports it with the usage.
  const provider = event.provider ?? nonEmpty(usage.provider);
  const attempt = tracer.findAttempt(event.runId, event.stepId, event.attempt);
  if (attempt) {
    addUsage(attempt.span, attempt, usage.inputTokens, usage.outputTokens, usage.model);
    if (provider && !event.provider) attempt.span.setAttribute(ATTR_GEN_AI_PROVIDER_NAME, provider);
  }
  if (!metrics) return;
  const base = compact({
    [ATTR_GEN_AI_OPERATION_NAME]: event.agentId ? 'invoke_agent' : 'chat',
    [ATTR_GEN_AI_PROVIDER_NAME]: provider,
    [ATTR_GEN_AI_REQUEST_MODEL]: usage.model,
    [ATTR_GEN_AI_AGENT_NAME]: event.agentName ?? event.agentId,
  });
  if (isCount(usage.inputTokens))
    metrics.tokenUsage.record(usage.inputTokens, { ...base, [ATTR_GEN_AI_TOKEN_TYPE]: 'input' });
  if (isCount(usage.outputTokens))
    metrics.tokenUsage.record(usage.outputTokens, { ...base, [ATTR_GEN_AI_TOKEN_TYPE]: 'output' });
}

function addUsage(
  span: Span,
  attempt: AttemptTrace,
  input: number | undefined,
  output: number | undefined,
  model: string | undefined,
): void {
  if (isCount(input)) span.setAttribute(ATTR_GEN_AI_USAGE_INPUT_TOKENS, (attempt.inputTokens += input));
  if (isCount(output)) span.setAttribute(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, (attempt.outputTokens += output));
  if (model) span.setAttribute(ATTR_GEN_AI_REQUEST_MODEL, model);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isCount(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
