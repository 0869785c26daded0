/**
 * Every span, event, attribute and metric name this package emits. Names under
 * `gen_ai.*` and `error.type` come from the OpenTelemetry semantic conventions;
 * `baton.*` names are this package's own (the conventions have nothing for
 * steps, retries, breakers or checkpoints).
 *
 * Kept in one file so the README's table and the code cannot drift apart
 * unnoticed: the tests import these constants.
 */

// --- OpenTelemetry semantic-convention attributes -------------------------------------------

/** `invoke_workflow` on run spans, `invoke_agent` on agent step spans. */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
/** Workflow name (GenAI semconv ≤ v1.41 name of the workflow). */
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name';
/** Agent name; also set to the workflow name on run spans (GenAI semconv v0.1.0 replaced `gen_ai.workflow.name` with it). */
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
/** Agent id (the breaker key). */
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';
/** Model provider, when the adapter knows it. */
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** Model named in reported usage. */
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
/** Input tokens reported by the step (summed over reports). */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
/** Output tokens reported by the step (summed over reports). */
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
/** `input` or `output`, on the token usage metric. */
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
/** Captured step input (opt-in). */
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
/** Captured step output (opt-in). */
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
/** Low-cardinality error identifier: the Baton error `code`, else the error `name`. */
export const ATTR_ERROR_TYPE = 'error.type';

// --- Baton attributes ----------------------------------------------------------------------

export const ATTR_BATON_RUN_ID = 'baton.run.id';
export const ATTR_BATON_RUN_RESUMED = 'baton.run.resumed';
export const ATTR_BATON_RUN_STATUS = 'baton.run.status';
export const ATTR_BATON_RUN_STEP_COUNT = 'baton.run.step_count';
export const ATTR_BATON_RUN_FAILED_STEP = 'baton.run.failed_step';
export const ATTR_BATON_WORKFLOW_VERSION = 'baton.workflow.version';
export const ATTR_BATON_WORKFLOW_HASH = 'baton.workflow.hash';
export const ATTR_BATON_STEP_ID = 'baton.step.id';
export const ATTR_BATON_STEP_ATTEMPT = 'baton.step.attempt';
export const ATTR_BATON_STEP_STATUS = 'baton.step.status';
export const ATTR_BATON_STEP_TIMEOUT_MS = 'baton.step.timeout_ms';
export const ATTR_BATON_STEP_SKIP_REASON = 'baton.step.skip_reason';
export const ATTR_BATON_ERROR_KIND = 'baton.error.kind';
export const ATTR_BATON_RETRY_DELAY_MS = 'baton.retry.delay_ms';
export const ATTR_BATON_RETRY_NEXT_ATTEMPT = 'baton.retry.next_attempt';
export const ATTR_BATON_BREAKER_KEY = 'baton.breaker.key';
export const ATTR_BATON_BREAKER_STATE = 'baton.breaker.state';
export const ATTR_BATON_BREAKER_FROM = 'baton.breaker.from';
export const ATTR_BATON_BREAKER_REASON = 'baton.breaker.reason';
export const ATTR_BATON_BREAKER_CONSECUTIVE_FAILURES = 'baton.breaker.consecutive_failures';
export const ATTR_BATON_AGENT_KEY = 'baton.agent.key';
export const ATTR_BATON_WAIT_REASON = 'baton.wait.reason';
export const ATTR_BATON_WAIT_KEY = 'baton.wait.key';
export const ATTR_BATON_WAIT_MS = 'baton.wait.ms';
export const ATTR_BATON_FALLBACK_FROM = 'baton.fallback.from';
export const ATTR_BATON_FALLBACK_TO = 'baton.fallback.to';
export const ATTR_BATON_CHECKPOINT_RECORD_TYPE = 'baton.checkpoint.record_type';
/**
 * On links: `resumed_from` (run → the run span it resumes), `previous_attempt` (retry → failed attempt) or
 * `previous_execution` (a resumed step's first attempt → that step's last attempt in the execution before).
 */
export const ATTR_BATON_LINK_TYPE = 'baton.link.type';
/** Set on spans that were still open when `detach()` was called. */
export const ATTR_BATON_DETACHED = 'baton.instrumentation.detached';

// --- Span events ---------------------------------------------------------------------------

export const EVENT_STEP_RETRY = 'baton.step.retry';
export const EVENT_STEP_TIMEOUT = 'baton.step.timeout';
export const EVENT_STEP_CANCELLED = 'baton.step.cancelled';
export const EVENT_STEP_WAITING = 'baton.step.waiting';
export const EVENT_STEP_FALLBACK = 'baton.step.fallback';
export const EVENT_STEP_SKIPPED = 'baton.step.skipped';
export const EVENT_STEP_RESTORED = 'baton.step.restored';
export const EVENT_BREAKER_OPENED = 'baton.breaker.opened';
export const EVENT_BREAKER_HALF_OPENED = 'baton.breaker.half_opened';
export const EVENT_BREAKER_CLOSED = 'baton.breaker.closed';
/** On the run span: the breaker refused a step's attempt, so no call was made (no `invoke_agent` span). */
export const EVENT_BREAKER_REFUSED = 'baton.breaker.refused';

// --- Metrics -------------------------------------------------------------------------------

export const METRIC_RUN_DURATION = 'baton.run.duration';
export const METRIC_STEP_DURATION = 'baton.step.duration';
export const METRIC_STEP_RETRIES = 'baton.step.retries';
export const METRIC_RUNS_ACTIVE = 'baton.runs.active';
export const METRIC_BREAKER_STATE = 'baton.breaker.state';
export const METRIC_BREAKER_TRIPS = 'baton.breaker.trips';
export const METRIC_BREAKER_REFUSALS = 'baton.breaker.refusals';
export const METRIC_AGENT_HEALTH = 'baton.agent.health.score';
export const METRIC_CHECKPOINT_APPEND_DURATION = 'baton.checkpoint.append.duration';
export const METRIC_GEN_AI_TOKEN_USAGE = 'gen_ai.client.token.usage';
