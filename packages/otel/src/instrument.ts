import { context as contextApi, metrics as metricsApi, trace } from '@opentelemetry/api';
import type {
  StepMiddlewareInput,
  Supervisor,
  SupervisorEvent,
  SupervisorEventType,
  SupervisorPlugin,
} from '@baton/core';
import { ATTR_BATON_RUN_STATUS, ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES } from './attributes.js';
import { captureMessages, type ContentInfo } from './content.js';
import { createEventHandlers } from './event-handlers.js';
import { BatonMetrics, type HealthSource } from './metrics.js';
import { compileOptions, type CompiledInstrumentOptions, type InstrumentOptions } from './options.js';
import { RunTracer, type AttemptTrace, type RunTrace } from './run-tracer.js';
import { assignStoredTraceContext, toStoredTraceContext } from './trace-context.js';
import packageJson from '../package.json' with { type: 'json' };

/** Name and version of the tracer and meter this package creates (the version is read from package.json at build time). */
export const INSTRUMENTATION_SCOPE: { readonly name: string; readonly version: string } = {
  name: packageJson.name,
  version: packageJson.version,
};

/**
 * What `instrument` needs from a supervisor: its event stream, its plugin
 * hook and (for the breaker and health gauges) `health()`. Core's
 * `Supervisor` satisfies it; so does any test double.
 */
export interface InstrumentableSupervisor extends Pick<Supervisor, 'on' | 'use'> {
  health?: HealthSource;
}

/** Detaches the instrumentation: stops listening, removes the plugin and gauges, ends open spans. Idempotent. */
export type Detach = () => void;

/**
 * Turns a supervisor's events into OpenTelemetry spans and metrics:
 * an `invoke_workflow {workflow}` span per run (or resume), a child span per
 * step attempt (`invoke_agent {agent}` for agent steps, `step {id}` otherwise)
 * inside whose context the step's code runs, span events for retries,
 * timeouts, cancellations and breaker transitions, and the metrics listed in
 * the README. The run span's context is stored in the checkpoint, so a
 * resumed run's span links to the original one; so is the last attempt's of a
 * step that did not succeed, so its first attempt after a resume links to it.
 *
 * Context propagation into steps needs a context manager (e.g.
 * `AsyncLocalStorageContextManager`), as any OpenTelemetry SDK setup registers.
 *
 * @returns a function that detaches the instrumentation
 * @throws InstrumentOptionsError when an option has the wrong type
 */
export function instrument(supervisor: InstrumentableSupervisor, options?: InstrumentOptions): Detach {
  const compiled = compileOptions(options);
  const tracer = new RunTracer(
    (compiled.tracerProvider ?? trace.getTracerProvider()).getTracer(
      INSTRUMENTATION_SCOPE.name,
      INSTRUMENTATION_SCOPE.version,
    ),
  );
  const metrics = compiled.metrics
    ? new BatonMetrics(
        (compiled.meterProvider ?? metricsApi.getMeterProvider()).getMeter(
          INSTRUMENTATION_SCOPE.name,
          INSTRUMENTATION_SCOPE.version,
        ),
        supervisor.health?.bind(supervisor),
      )
    : undefined;
  // One subscription per handled type rather than '*': core builds only the events someone listens to,
  // so unhandled ones (step.progress, which streaming agents emit often) stay free.
  const handlers = createEventHandlers(tracer, metrics, compiled.pluginName) as Record<
    SupervisorEventType,
    (event: SupervisorEvent) => void
  >;
  const unsubscribes = (Object.keys(handlers) as SupervisorEventType[]).map((type) =>
    supervisor.on(type, handlers[type] as never),
  );
  const removePlugin = supervisor.use(createPlugin(tracer, compiled));
  let detached = false;
  return () => {
    if (detached) return;
    detached = true;
    for (const unsubscribe of unsubscribes) unsubscribe();
    removePlugin();
    metrics?.close();
    tracer.closeAll();
  };
}

/** The plugin half: run spans' trace context into the checkpoint, and step code inside its span's context. */
function createPlugin(tracer: RunTracer, options: CompiledInstrumentOptions): SupervisorPlugin {
  return {
    name: options.pluginName,
    runMeta: ({ runId, workflow }) => {
      const stale = tracer.get(runId);
      // A span opened for an execution that never emitted run.started (its start record was refused): close it, start afresh.
      if (stale && !stale.started)
        tracer.endRun(
          stale,
          { name: 'RunNotStarted', message: 'The run did not start' },
          { [ATTR_BATON_RUN_STATUS]: 'not_started' },
        );
      const run = tracer.startRun(runId, workflow, []);
      const stored = toStoredTraceContext(run.span.spanContext());
      return stored ? { [options.pluginName]: stored } : undefined;
    },
    // A step that did not succeed may run again on resume: its record keeps its last attempt's span context.
    stepMeta: ({ runId, stepId }) => {
      const last = tracer.get(runId)?.previousAttempt.get(stepId);
      const stored = last && toStoredTraceContext(last);
      return stored ? { [options.pluginName]: stored } : undefined;
    },
    wrapStep: (input, next) => {
      const run = tracer.get(input.runId);
      if (!run) return next();
      const attempt = tracer.attempt(run, input.stepId, input.attempt, input.agent);
      // Steps see it as ctx.traceContext; the Python bridges forward it so their spans join this trace.
      assignStoredTraceContext(input.carrier, attempt.span.spanContext());
      if (!options.captureContent) return contextApi.with(attempt.context, next);
      captureInputs(run, attempt, input, options);
      return contextApi.with(attempt.context, next).then((output) => {
        setCaptured(attempt, ATTR_GEN_AI_OUTPUT_MESSAGES, output, contentInfo('output', input), options);
        return output;
      });
    },
  };
}

function contentInfo(kind: ContentInfo['kind'], input: StepMiddlewareInput): ContentInfo {
  const info: ContentInfo = {
    kind,
    runId: input.runId,
    workflow: input.workflow.name,
    stepId: input.stepId,
    attempt: input.attempt,
  };
  if (input.agent) info.agentId = input.agent.id;
  return info;
}

/**
 * Records the step's input on its span and, once per run, the run's input on
 * the run span, and the step's own input on the attempt span.
 */
function captureInputs(
  run: RunTrace,
  attempt: AttemptTrace,
  input: StepMiddlewareInput,
  options: CompiledInstrumentOptions,
): void {
  if (!run.inputCaptured) {
    run.inputCaptured = true;
    const messages = captureMessages(
      input.ctx.input,
      { kind: 'input', runId: input.runId, workflow: input.workflow.name },
      options,
    );
    if (messages !== undefined) run.span.setAttribute(ATTR_GEN_AI_INPUT_MESSAGES, messages);
  }
  setCaptured(attempt, ATTR_GEN_AI_INPUT_MESSAGES, input.input, contentInfo('input', input), options);
}

function setCaptured(
  attempt: AttemptTrace,
  key: string,
  value: unknown,
  info: ContentInfo,
  options: CompiledInstrumentOptions,
): void {
  // captureMessages never throws (a failing redact or serializer records nothing), so a step cannot fail here.
  const messages = captureMessages(value, info, options);
  if (messages !== undefined) attempt.span.setAttribute(key, messages);
}
