import { z } from 'zod';
import type { AgentHealthCheck, ErrorClassifier, StepContext } from '@baton/core';
import type { AiSdkCallResult } from './consume.js';
import { AiSdkAdapterOptionsError } from './errors.js';

/** What an AI SDK agent call takes as its prompt (plus call `options` for agents with a `callOptionsSchema`). */
export type AiSdkPrompt = ({ prompt: string | unknown[] } | { messages: unknown[] }) & { options?: unknown };

/** Options every factory of this package takes. */
export interface AiSdkBaseOptions<TOutput = string> {
  /** Stable agent id: the circuit-breaker, limit and health key. Required. */
  id: string;
  /** Display name for traces. @default the AI SDK agent's `id`, or the model id */
  name?: string;
  /**
   * Model provider for traces (`gen_ai.provider.name`), e.g. `openai`; passed as given.
   * @default inferred from the model, as a well-known name (`openai.chat` → `openai`, `google.vertex.chat` → `gcp.vertex_ai`); left out for providers the conventions do not list
   */
  provider?: string;
  /** Picks the step output: `'text'` (the last step's text) or a function of the finished call. @default 'text' */
  output?: 'text' | ((result: AiSdkCallResult, ctx: StepContext) => TOutput | Promise<TOutput>);
  /** Emit each streamed text delta as a progress event. @default true */
  emitTokens?: boolean;
  /**
   * The SDK's own retries per call. Baton retries the step (honouring
   * Retry-After, feeding breakers), so the default turns the SDK's off.
   * @default 0
   */
  maxRetries?: number;
  /** Your own classifier, consulted before the adapter's AI SDK rules. */
  classifyError?: ErrorClassifier;
  /** A cheap real check of the backend (the AI SDK has no free ping, so none is built in). */
  health?: (signal: AbortSignal) => AgentHealthCheck | Promise<AgentHealthCheck>;
  /** Releases resources when the supervisor closes. */
  close?: () => void | Promise<void>;
}

/** Options of `fromAgent` (and the agent part of `fromModel`). */
export interface AiSdkAgentOptions<TInput = unknown, TOutput = string> extends AiSdkBaseOptions<TOutput> {
  /** Maps the step input to the agent's prompt. @default a string → `{ prompt }`, an array → `{ messages }`, `{ prompt }`/`{ messages }` as is, anything else → `{ prompt: JSON }` */
  input?: (input: TInput, ctx: StepContext) => AiSdkPrompt;
  /** Stream the call (`agent.stream`: tokens as events, abort mid-stream) or not (`agent.generate`). @default true */
  stream?: boolean;
}

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'expected a function',
});
const nonEmpty = z.string().trim().min(1);

/** Runtime check of `AiSdkBaseOptions`. */
export const baseOptionsSchema = z.strictObject({
  id: nonEmpty,
  name: nonEmpty.optional(),
  provider: nonEmpty.optional(),
  output: z.union([z.literal('text'), fn]).optional(),
  emitTokens: z.boolean().optional(),
  maxRetries: z.number().int().min(0).optional(),
  classifyError: fn.optional(),
  health: fn.optional(),
  close: fn.optional(),
});

/** Runtime check of `AiSdkAgentOptions`. */
export const agentOptionsSchema = baseOptionsSchema.extend({ input: fn.optional(), stream: z.boolean().optional() });

/** Validates options once, at construction; throws `AiSdkAdapterOptionsError` naming each bad field. */
export function validateOptions(factory: string, schema: z.ZodType, options: unknown): void {
  const result = schema.safeParse(options);
  if (result.success) return;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new AiSdkAdapterOptionsError(`${factory}: invalid options (${problems.join('; ')})`, { cause: result.error });
}
