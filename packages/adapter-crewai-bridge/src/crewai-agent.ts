import type { Agent, ErrorClassifier, StepContext } from '@baton/core';
import { BridgeConfigError, createBridgeAgent, type BridgeAgentOptions } from '@baton/bridge';
import { classifyCrewAIError } from './classify-crewai-error.js';
import { CrewAIInputError } from './errors.js';
import type { CrewAIInputs, CrewAIOutput } from './types.js';

/**
 * Worker variables that keep CrewAI quiet and offline: no anonymous telemetry, no tracing
 * prompt, no package-index version check. The Python runner sets them too; passing them here
 * also covers modules imported before it (`preload`). Your `env` wins.
 */
export const CREWAI_QUIET_ENV: Readonly<Record<string, string>> = Object.freeze({
  CREWAI_DISABLE_TELEMETRY: 'true',
  CREWAI_DISABLE_TRACKING: 'true',
  CREWAI_DISABLE_VERSION_CHECK: 'true',
  CREWAI_TRACING_ENABLED: 'false',
});

/** Options of {@link crewAIAgent}: the bridge's agent options, with the runner fixed to `crewai`. */
export interface CrewAIAgentOptions extends Omit<BridgeAgentOptions, 'runner' | 'target' | 'id'> {
  /**
   * Your crew, as `'package.module:attr'`: a `Crew`, a function returning one (called once per
   * run, sync or async), or a `@CrewBase` class. The module must be importable by the worker
   * (see `pythonPath` / `cwd`).
   */
  target: string;
  /** Agent id (the breaker, limits and health key). @default `crewai:<target>` */
  id?: string;
}

/** Turns {@link CrewAIAgentOptions} into `createBridgeAgent` options (exported for tests and custom wiring). */
export function crewAIBridgeOptions(options: CrewAIAgentOptions): BridgeAgentOptions {
  const { target, id, env, classifyError, ...rest } = options;
  if (typeof target !== 'string' || !/^[\w.]+:[\w.]+$/.test(target)) {
    throw new BridgeConfigError({
      message: `crewAIAgent: 'target' must look like 'package.module:attr', got ${JSON.stringify(target)}`,
    });
  }
  return {
    ...rest,
    id: id ?? `crewai:${target}`,
    runner: 'crewai',
    target,
    env: { ...CREWAI_QUIET_ENV, ...env },
    classifyError: chain(classifyError, classifyCrewAIError),
  };
}

/**
 * A CrewAI crew as a Baton agent. Each call runs `crew.kickoff(inputs=<step input>)` in a pooled
 * Python worker and resolves to the crew's {@link CrewAIOutput}; task, agent, LLM and tool events
 * stream as `step.progress`, token usage is reported as `step.usage`, aborting the step stops the
 * crew at its next LLM or tool call (and the worker is killed if it does not stop in time).
 *
 * ```ts
 * const research = crewAIAgent({ target: 'my_app.crews:research_crew', pythonPath: ['./python'] });
 * defineWorkflow({ name: 'r', version: '1', steps: { research: { run: research } } });
 * ```
 */
export function crewAIAgent<TJson = Record<string, unknown>>(
  options: CrewAIAgentOptions,
): Agent<CrewAIInputs, CrewAIOutput<TJson>> {
  const agent = createBridgeAgent(crewAIBridgeOptions(options));
  return {
    ...agent,
    async invoke(input: CrewAIInputs, ctx: StepContext): Promise<CrewAIOutput<TJson>> {
      if (input !== null && input !== undefined && !isPlainObject(input)) throw new CrewAIInputError(input);
      return (await agent.invoke(input ?? null, ctx)) as CrewAIOutput<TJson>;
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The user's classifier first, then the adapter's. */
function chain(first: ErrorClassifier | undefined, second: ErrorClassifier): ErrorClassifier {
  return first ? (error) => first(error) ?? second(error) : second;
}
