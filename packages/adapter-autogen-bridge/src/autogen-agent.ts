import type { Agent, ErrorClassifier } from '@baton/core';
import { BridgeConfigError, createBridgeAgent, type BridgeAgentOptions } from '@baton/bridge';
import { classifyAutoGenError } from './classify-autogen-error.js';
import type { AutoGenInput, AutoGenOutput } from './types.js';

/** Options of {@link autogenAgent}: the bridge's agent options, with the runner fixed to `autogen`. */
export interface AutoGenAgentOptions extends Omit<BridgeAgentOptions, 'runner' | 'target' | 'id'> {
  /**
   * Your team or agent: `'package.module:attr'` naming a team / chat agent (shared by the
   * worker's runs, one at a time, reset after each) or a function returning one (called per
   * run, sync or async); or the path of a `.json` component config
   * (`team.dump_component().model_dump_json()`), loaded per run. A component config names
   * Python code that loading imports and may execute: only use files you trust as code.
   */
  target: string;
  /** Agent id (the breaker, limits and health key). @default `autogen:<target>` */
  id?: string;
}

/** Turns {@link AutoGenAgentOptions} into `createBridgeAgent` options (exported for tests and custom wiring). */
export function autogenBridgeOptions(options: AutoGenAgentOptions): BridgeAgentOptions {
  const { target, id, classifyError, ...rest } = options;
  const isModule = typeof target === 'string' && /^[\w.]+:[\w.]+$/.test(target);
  const isJson = typeof target === 'string' && target.toLowerCase().endsWith('.json');
  if (!isModule && !isJson) {
    throw new BridgeConfigError({
      message: `autogenAgent: 'target' must look like 'package.module:attr' or be a path ending in .json, got ${JSON.stringify(target)}`,
    });
  }
  return {
    ...rest,
    id: id ?? `autogen:${target}`,
    runner: 'autogen',
    target,
    classifyError: chain(classifyError, classifyAutoGenError),
  };
}

/**
 * An AutoGen AgentChat team or agent as a Baton agent. Each call runs `run_stream(task=...)` in a
 * pooled Python worker and resolves to the {@link AutoGenOutput} (`TaskResult` messages, stop
 * reason, final text); messages and events stream as `step.progress`, model usage is reported
 * as `step.usage`, aborting the step cancels the run's `CancellationToken` (and the worker is
 * killed if the team does not stop in time); a shared team is reset after every run.
 *
 * ```ts
 * const review = autogenAgent({ target: 'my_app.teams:review_team', pythonPath: ['./python'] });
 * defineWorkflow({ name: 'r', version: '1', steps: { review: { run: review } } });
 * ```
 */
export function autogenAgent(options: AutoGenAgentOptions): Agent<AutoGenInput, AutoGenOutput> {
  return createBridgeAgent(autogenBridgeOptions(options)) as Agent<AutoGenInput, AutoGenOutput>;
}

/** The user's classifier first, then the adapter's. */
function chain(first: ErrorClassifier | undefined, second: ErrorClassifier): ErrorClassifier {
  return first ? (error) => first(error) ?? second(error) : second;
}
