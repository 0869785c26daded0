import type { BreakerOptions } from '../breaker/circuit-breaker.js';
import type { StepStatus } from '../checkpoint/types.js';
import { resolveRetryPolicy, type ResolvedRetryPolicy, type RetryOptions } from '../retry/retry-policy.js';
import type { Workflow } from '../workflow/define-workflow.js';
import { dependentsOf, depsOf } from '../workflow/graph.js';
import { isAgent } from '../workflow/schema.js';
import { stepInputSchema, withStepSchemas } from '../workflow/validate-schema.js';
import type { Agent, StepContext, StepDecisionContext, StepDefinition, WorkflowIdentity } from '../workflow/types.js';

/** A step with everything the scheduler needs precomputed. */
export interface PlannedStep {
  id: string;
  index: number;
  definition: StepDefinition;
  deps: number[];
  dependents: number[];
  /** The agent, for agent steps. */
  agent: Agent | undefined;
  call: (input: unknown, ctx: StepContext) => unknown;
  retry: ResolvedRetryPolicy;
  timeoutMs: number | undefined;
  /** Breaker key, or undefined when the step has no breaker. */
  breakerKey: string | undefined;
  breakerOptions: BreakerOptions | undefined;
  /** Key for per-agent limits and health (agent id or breaker key). */
  resourceKey: string | undefined;
  when: ((ctx: StepDecisionContext) => boolean) | undefined;
  input: ((ctx: StepDecisionContext) => unknown) | undefined;
  /**
   * A function step without timeout, breaker or resource key: its first attempt needs
   * no permit, limit, child signal or health record, so it may take the fast path
   * (plain-attempt.ts) when no middleware is installed.
   */
  plain: boolean;
}

/** A workflow compiled for one supervisor (its retry defaults merged in). */
export interface CompiledPlan {
  workflow: Workflow;
  /** The identity every record and event of its runs carries (one frozen object, shared). */
  identity: WorkflowIdentity;
  steps: PlannedStep[];
  concurrency: number;
  /** Agents in the workflow (primaries and fallbacks), by id. */
  agents: Map<string, Agent>;
  /** Unfinished dependencies of each step when a fresh run starts (copied per run). */
  depCounts: number[];
  /** Steps a fresh run starts with, in step order. */
  roots: Int32Array;
  /** Every step `pending` (copied per run). */
  pendingStatuses: StepStatus[];
}

/** What a step calls: its agent, its function, or for a wait step `ctx.waitFor(key, waitFor)`. */
function stepCall(
  id: string,
  definition: StepDefinition,
  agent: Agent | undefined,
): (input: unknown, ctx: StepContext) => unknown {
  if (agent) return (input, ctx) => agent.invoke(input, ctx);
  const waitFor = definition.waitFor;
  if (waitFor) {
    const key = waitFor.key ?? id;
    return (_input, ctx) => ctx.waitFor(key, waitFor);
  }
  return definition.run as (input: unknown, ctx: StepContext) => unknown;
}

/** Default per-run step concurrency. */
export const DEFAULT_STEP_CONCURRENCY = 64;

/** Builds the plan once; the supervisor caches it per workflow object. */
export function compilePlan(workflow: Workflow, supervisorRetry: RetryOptions | undefined): CompiledPlan {
  const { graph } = workflow;
  const agents = new Map<string, Agent>();
  const steps = graph.ids.map((id, index): PlannedStep => {
    const definition = workflow.steps[id]!;
    const agent = isAgent(definition.run) ? definition.run : undefined;
    if (agent) agents.set(agent.id, agent);
    for (const fallback of definition.fallback ?? []) agents.set(fallback.id, fallback);
    const breaker = definition.breaker;
    const breakerKey = breaker === false ? undefined : (breaker?.key ?? agent?.id);
    const { key: _key, ...breakerOptions } = breaker === false || breaker === undefined ? { key: undefined } : breaker;
    const resourceKey = breakerKey ?? agent?.id;
    return {
      id,
      index,
      definition,
      agent,
      deps: depsOf(graph, index),
      dependents: dependentsOf(graph, index),
      call: withStepSchemas(id, definition, stepCall(id, definition, agent)),
      retry: resolveRetryPolicy(supervisorRetry, workflow.options.retry, definition.retry),
      timeoutMs: definition.timeoutMs,
      breakerKey,
      breakerOptions: breakerKey ? breakerOptions : undefined,
      resourceKey,
      when: definition.when,
      input: stepInputSchema(definition) ? undefined : (definition.input as PlannedStep['input']),
      plain: !agent && definition.timeoutMs === undefined && breakerKey === undefined && resourceKey === undefined,
    };
  });
  return {
    workflow,
    steps,
    agents,
    depCounts: steps.map((step) => step.deps.length),
    identity: Object.freeze({ name: workflow.name, version: workflow.version, hash: workflow.hash }),
    concurrency: workflow.options.concurrency ?? DEFAULT_STEP_CONCURRENCY,
    roots: graph.roots,
    pendingStatuses: steps.map((): StepStatus => 'pending'),
  };
}
