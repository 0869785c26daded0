import {
  context as contextApi,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import type { SerializedError, WorkflowIdentity } from '@baton/core';
import {
  ATTR_BATON_DETACHED,
  ATTR_BATON_ERROR_KIND,
  ATTR_BATON_LINK_TYPE,
  ATTR_BATON_STEP_STATUS,
  ATTR_BATON_RUN_ID,
  ATTR_BATON_STEP_ATTEMPT,
  ATTR_BATON_STEP_ID,
  ATTR_BATON_WORKFLOW_HASH,
  ATTR_BATON_WORKFLOW_VERSION,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_WORKFLOW_NAME,
  EVENT_BREAKER_HALF_OPENED,
} from './attributes.js';

/** The agent behind a step, as events and middleware describe it. */
export interface AgentInfo {
  id: string;
  name?: string | undefined;
  provider?: string | undefined;
  /** The agent runs in another process (a bridge worker): its spans are `CLIENT`. */
  remote?: boolean | undefined;
}

/** One open step-attempt span. */
export interface AttemptTrace {
  readonly span: Span;
  /** The run context with this span set: steps run inside it. */
  readonly context: Context;
  readonly stepId: string;
  readonly attempt: number;
  readonly agentKey: string | undefined;
  /** Its key in `RunTrace.attempts`. */
  readonly key: string;
  inputTokens: number;
  outputTokens: number;
}

/** One open run span and its open attempts. */
export interface RunTrace {
  readonly runId: string;
  readonly span: Span;
  readonly context: Context;
  readonly workflow: WorkflowIdentity;
  /** `run.started` was seen (so `run.completed` must decrement the active-runs gauge). */
  started: boolean;
  inputCaptured: boolean;
  readonly attempts: Map<string, AttemptTrace>;
  /**
   * The attempt opened last, while still open: every step's events and middleware ask for the attempt they
   * belong to two or three times in a row, and this answers without building the map key.
   */
  latest: AttemptTrace | undefined;
  /** Span context of each step's latest ended attempt, to link the retry to it. */
  readonly previousAttempt: Map<string, SpanContext>;
  /** On resume: span context of each re-run step's last attempt in the previous execution (from its record). */
  readonly previousExecution: Map<string, SpanContext>;
}

const attemptKey = (stepId: string, attempt: number): string => `${stepId}\u0000${attempt}`;

/**
 * Owns the spans: one `invoke_workflow` span per run (or resume) and one
 * child span per step attempt. Every lookup is by run id, so concurrent runs
 * never share state.
 */
export class RunTracer {
  private readonly runs = new Map<string, RunTrace>();
  /** `baton.breaker.half_opened` attributes per agent key, waiting for the probe's span (the transition happens just before it opens). */
  private readonly pendingHalfOpen = new Map<string, Attributes>();

  constructor(private readonly tracer: Tracer) {}

  get(runId: string): RunTrace | undefined {
    return this.runs.get(runId);
  }

  /** Opens the run span (idempotent) as a child of the caller's active context. */
  startRun(runId: string, workflow: WorkflowIdentity, links: Link[]): RunTrace {
    const existing = this.runs.get(runId);
    if (existing) return existing;
    const parent = contextApi.active();
    const span = this.tracer.startSpan(
      `invoke_workflow ${workflow.name}`,
      {
        kind: SpanKind.INTERNAL,
        links,
        attributes: {
          [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_workflow',
          [ATTR_GEN_AI_WORKFLOW_NAME]: workflow.name,
          [ATTR_GEN_AI_AGENT_NAME]: workflow.name,
          [ATTR_BATON_WORKFLOW_VERSION]: workflow.version,
          [ATTR_BATON_WORKFLOW_HASH]: workflow.hash,
          [ATTR_BATON_RUN_ID]: runId,
        },
      },
      parent,
    );
    const run: RunTrace = {
      runId,
      span,
      workflow,
      context: trace.setSpan(parent, span),
      started: false,
      inputCaptured: false,
      attempts: new Map(),
      latest: undefined,
      previousAttempt: new Map(),
      previousExecution: new Map(),
    };
    this.runs.set(runId, run);
    return run;
  }

  /** The open attempt span, opened on first sight (by `step.started` or the middleware, whichever comes first). */
  attempt(run: RunTrace, stepId: string, attempt: number, agent: AgentInfo | undefined): AttemptTrace {
    const latest = run.latest;
    if (latest !== undefined && latest.attempt === attempt && latest.stepId === stepId) return latest;
    const key = attemptKey(stepId, attempt);
    const existing = run.attempts.get(key);
    if (existing) return existing;
    const previous = run.previousAttempt.get(stepId);
    const before = previous ? undefined : run.previousExecution.get(stepId);
    const links: Link[] = previous
      ? [{ context: previous, attributes: { [ATTR_BATON_LINK_TYPE]: 'previous_attempt' } }]
      : before
        ? [{ context: before, attributes: { [ATTR_BATON_LINK_TYPE]: 'previous_execution' } }]
        : [];
    const span = this.tracer.startSpan(
      agent ? `invoke_agent ${agent.name ?? agent.id}` : `step ${stepId}`,
      {
        // A bridge agent's call leaves the process (GenAI conventions: CLIENT for remote agents).
        kind: agent?.remote ? SpanKind.CLIENT : SpanKind.INTERNAL,
        links,
        attributes: attemptAttributes(run, stepId, attempt, agent),
      },
      run.context,
    );
    const halfOpened = agent ? this.pendingHalfOpen.get(agent.id) : undefined;
    if (halfOpened) {
      span.addEvent(EVENT_BREAKER_HALF_OPENED, halfOpened);
      this.pendingHalfOpen.delete(agent!.id);
    }
    const trace_: AttemptTrace = {
      span,
      context: trace.setSpan(run.context, span),
      stepId,
      attempt,
      agentKey: agent?.id,
      key,
      inputTokens: 0,
      outputTokens: 0,
    };
    run.attempts.set(key, trace_);
    run.latest = trace_;
    return trace_;
  }

  findAttempt(runId: string, stepId: string, attempt: number): AttemptTrace | undefined {
    const run = this.runs.get(runId);
    if (!run) return undefined;
    const latest = run.latest;
    if (latest !== undefined && latest.attempt === attempt && latest.stepId === stepId) return latest;
    return run.attempts.get(attemptKey(stepId, attempt));
  }

  /** Ends an attempt span with its outcome, marking it failed when `error` is given. */
  endAttempt(
    run: RunTrace,
    attempt: AttemptTrace,
    status: string | undefined,
    error?: SerializedError,
    kind?: string,
  ): void {
    if (status) attempt.span.setAttribute(ATTR_BATON_STEP_STATUS, status);
    if (kind) attempt.span.setAttribute(ATTR_BATON_ERROR_KIND, kind);
    if (error) markError(attempt.span, error);
    attempt.span.end();
    run.attempts.delete(attempt.key);
    if (run.latest === attempt) run.latest = undefined;
    run.previousAttempt.set(attempt.stepId, attempt.span.spanContext());
  }

  /** Records `baton.breaker.half_opened` on the next attempt span of agent `key`: the probe the transition admits. */
  halfOpened(key: string, attributes: Attributes): void {
    this.pendingHalfOpen.set(key, attributes);
  }

  /** Every open attempt span whose agent key is `key` (breaker events have no run). */
  *attemptsForAgent(key: string): Iterable<AttemptTrace> {
    for (const run of this.runs.values()) {
      for (const attempt of run.attempts.values()) if (attempt.agentKey === key) yield attempt;
    }
  }

  /** Ends the run span and any attempt span still open under it, then forgets the run. */
  endRun(run: RunTrace, error: SerializedError | undefined, attributes: Attributes): void {
    for (const attempt of [...run.attempts.values()]) {
      // No outcome event arrived for this attempt: the run's end is all we know.
      this.endAttempt(
        run,
        attempt,
        undefined,
        error
          ? {
              name: 'RunEnded',
              message: 'The run ended before this attempt reported an outcome',
              code: error.code ?? error.name,
            }
          : undefined,
      );
    }
    run.span.setAttributes(attributes);
    if (error) markError(run.span, error);
    run.span.end();
    this.runs.delete(run.runId);
  }

  /** Ends every open span (used by `detach`), flagging them as cut short. */
  closeAll(): void {
    for (const run of [...this.runs.values()]) {
      for (const attempt of run.attempts.values()) attempt.span.setAttribute(ATTR_BATON_DETACHED, true);
      this.endRun(run, undefined, { [ATTR_BATON_DETACHED]: true });
    }
    this.pendingHalfOpen.clear();
  }
}

function attemptAttributes(run: RunTrace, stepId: string, attempt: number, agent: AgentInfo | undefined): Attributes {
  const attributes: Attributes = {
    [ATTR_BATON_STEP_ID]: stepId,
    [ATTR_BATON_STEP_ATTEMPT]: attempt,
    [ATTR_BATON_RUN_ID]: run.runId,
    [ATTR_GEN_AI_WORKFLOW_NAME]: run.workflow.name,
  };
  if (agent) {
    attributes[ATTR_GEN_AI_OPERATION_NAME] = 'invoke_agent';
    attributes[ATTR_GEN_AI_AGENT_ID] = agent.id;
    attributes[ATTR_GEN_AI_AGENT_NAME] = agent.name ?? agent.id;
    if (agent.provider) attributes[ATTR_GEN_AI_PROVIDER_NAME] = agent.provider;
  }
  return attributes;
}

/** `error.type` value: Baton's stable code when there is one, else the error class name. */
export function errorType(error: SerializedError): string {
  return error.code || error.name || '_OTHER';
}

/** Sets ERROR status, `error.type` and an `exception` event, per the recording-errors convention. */
export function markError(span: Span, error: SerializedError): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
  // No `code` here: the SDK would report it as `exception.type`, which names the class; the code is in `error.type`.
  span.recordException(
    error.stack
      ? { name: error.name, message: error.message, stack: error.stack }
      : { name: error.name, message: error.message },
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}
