import type { Agent, AgentHealthCheck, ErrorClassifier, StepContext } from '@baton/core';
import { runRequestFor, unwrapResult } from '../agent/create-bridge-agent.js';
import { BridgeConfigError } from '../errors/bridge-config-error.js';
import type { TraceparentSource } from '../trace/traceparent.js';
import { BridgeHttpClient, type BridgeHttpClientOptions } from './bridge-http-client.js';

/** Options of {@link createBridgeHttpAgent}. */
export interface BridgeHttpAgentOptions extends BridgeHttpClientOptions {
  id: string;
  name?: string;
  /** Runner name on the server: `'crewai'`, `'autogen'`, `'callable'`, ... */
  runner: string;
  /** `'module:attr'` the runner resolves on the server. */
  target: string;
  runnerOptions?: Record<string, unknown>;
  /** Trace context per run; default: the active `@opentelemetry/api` span, if that peer is installed. */
  traceparent?: TraceparentSource;
  classifyError?: ErrorClassifier;
  provider?: string;
}

/**
 * A Baton agent that runs on a long-running bridge server (`python -m baton_bridge.http`):
 * each invoke starts a run, follows its SSE stream (progress → `ctx.emit`), and cancels it
 * when the step's signal aborts.
 */
export function createBridgeHttpAgent(options: BridgeHttpAgentOptions): Agent {
  const { id, name, runner, target, runnerOptions, traceparent, classifyError, provider, ...clientOptions } = options;
  if (!id || !runner || typeof target !== 'string' || !clientOptions.url) {
    throw new BridgeConfigError({
      message: `createBridgeHttpAgent: 'id', 'runner', 'target' and 'url' are required (got id=${JSON.stringify(id)}, runner=${JSON.stringify(runner)}, url=${JSON.stringify(clientOptions.url)})`,
    });
  }
  const client = new BridgeHttpClient(clientOptions);
  return {
    id,
    ...(name !== undefined ? { name } : {}),
    ...(provider !== undefined ? { provider } : {}),
    // The agent runs in another process: traces show its calls as CLIENT spans.
    remote: true,
    ...(classifyError ? { classifyError } : {}),
    async invoke(input: unknown, ctx: StepContext): Promise<unknown> {
      const request = await runRequestFor(input, ctx, { runner, target, runnerOptions, traceparent });
      const result = await client.run(request, { signal: ctx.signal, onProgress: (event) => ctx.emit(event) });
      return unwrapResult(result, ctx);
    },
    async health(signal: AbortSignal): Promise<AgentHealthCheck> {
      try {
        const info = await client.health({ runners: [runner], signal });
        const status = (info.runners as Record<string, { ok: boolean; error?: { message: string } }> | undefined)?.[
          runner
        ];
        if (status && !status.ok) return { ok: false, detail: status.error?.message ?? `runner ${runner} unavailable` };
        return {
          ok: true,
          detail: `${client.url}, python ${(info.python as { version?: string } | undefined)?.version ?? '?'}`,
        };
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },
  };
}
