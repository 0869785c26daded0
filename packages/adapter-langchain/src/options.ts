import { z } from 'zod';
import type { AgentHealthCheck, ErrorClassifier, StepContext } from '@baton/core';
import { LangChainAdapterOptionsError } from './errors.js';

/** The parts of a LangChain `RunnableConfig` the adapter merges (any other key is passed through). */
export interface RunnableConfigLike {
  callbacks?: unknown;
  signal?: AbortSignal;
  metadata?: Record<string, unknown>;
  tags?: string[];
  configurable?: Record<string, unknown>;
  recursionLimit?: number;
  [key: string]: unknown;
}

/** Options of `fromRunnable`. */
export interface FromRunnableOptions<TInput = unknown, TOutput = unknown> {
  /** Stable agent id: the circuit-breaker, limit and health key. Required. */
  id: string;
  /** Display name for traces. @default the runnable's name (`runName`, graph or class name) */
  name?: string;
  /**
   * Model provider for traces (`gen_ai.provider.name`), passed as given.
   * @default inferred from the chat model (`ls_provider`) or `createAgent`'s `provider:model` string, as a well-known name (`google_vertexai` → `gcp.vertex_ai`); left out when it is not one (a fake model's class name)
   */
  provider?: string;
  /** Maps the step input to the runnable's input. @default see `defaultInput`: prompts for models, `{ messages }` for agents and message graphs, unchanged otherwise */
  input?: (input: TInput, ctx: StepContext) => unknown;
  /** Picks the step output: `'auto'` (message text, `structuredResponse`, last message text, or the result), `'raw'`, or a function. @default 'auto' */
  // biome-ignore lint/suspicious/noExplicitAny: the runnable's raw result, typed by the user's own callback
  output?: 'auto' | 'raw' | ((result: any, ctx: StepContext) => TOutput | Promise<TOutput>);
  /** Extra `RunnableConfig` for every call (`configurable`, `recursionLimit`, `tags`, `callbacks`...), or a function of the step context. The step's `signal` is always added. */
  config?: RunnableConfigLike | ((ctx: StepContext) => RunnableConfigLike);
  /** Emit each streamed token as a progress event (this makes chat models stream inside `invoke`). @default true */
  emitTokens?: boolean;
  /** Your own classifier, consulted before the adapter's LangChain rules. */
  classifyError?: ErrorClassifier;
  /** A cheap real check of the backend (LangChain has no free ping, so none is built in). */
  health?: (signal: AbortSignal) => AgentHealthCheck | Promise<AgentHealthCheck>;
  /** Releases what the runnable holds, when the supervisor closes. */
  close?: () => void | Promise<void>;
}

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'expected a function',
});
const nonEmpty = z.string().trim().min(1);

/** Runtime check of `FromRunnableOptions`; functions are only checked to be functions. */
export const fromRunnableOptionsSchema = z.strictObject({
  id: nonEmpty,
  name: nonEmpty.optional(),
  provider: nonEmpty.optional(),
  input: fn.optional(),
  output: z.union([z.enum(['auto', 'raw']), fn]).optional(),
  config: z.union([z.record(z.string(), z.unknown()), fn]).optional(),
  emitTokens: z.boolean().optional(),
  classifyError: fn.optional(),
  health: fn.optional(),
  close: fn.optional(),
});

/** Validates options once, at construction; throws `LangChainAdapterOptionsError` naming each bad field. */
export function validateOptions(options: unknown): void {
  const result = fromRunnableOptionsSchema.safeParse(options);
  if (result.success) return;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new LangChainAdapterOptionsError(`fromRunnable: invalid options (${problems.join('; ')})`, {
    cause: result.error,
  });
}
