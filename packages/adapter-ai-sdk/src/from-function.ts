import type { Agent, StepContext } from '@baton/core';
import { consumeStream, isGenerateResult, isStreamResult, reportGenerated } from './consume.js';
import { AiSdkAdapterOptionsError } from './errors.js';
import { identity, selectOutput, settle } from './from-agent.js';
import { baseOptionsSchema, validateOptions, type AiSdkBaseOptions } from './options.js';

/** What a `fromFunction` function receives besides the step input. */
export interface AiSdkCall {
  /** The step's signal: pass it as `abortSignal`. */
  abortSignal: AbortSignal;
  /** The SDK retries to ask for (0 unless set in the options): pass it as `maxRetries`. */
  maxRetries: number;
  /** The step context, for `emit`, `reportUsage`, `outputs`, `idempotencyKey`. */
  ctx: StepContext;
}

/** A user function that calls `generateText` / `streamText` (or an agent) itself. */
export type AiSdkFunction<TInput, TResult = unknown> = (input: TInput, call: AiSdkCall) => TResult;

/**
 * The agent's output when `output` is not a function: an SDK result (`streamText`,
 * `generateText`, an agent's) gives its text, any other value is the output as is.
 * `unknown` (explicit type arguments, e.g. `fromFunction<string>`) keeps the old `string`.
 */
export type FunctionOutput<TResult> = unknown extends TResult
  ? string
  : Awaited<TResult> extends { fullStream: unknown; totalUsage: unknown }
    ? string
    : Awaited<TResult> extends { steps: readonly unknown[]; finishReason: unknown; text: string }
      ? string
      : Awaited<TResult>;

/**
 * Turns your own function into a Baton `Agent`. Return the SDK's result and
 * the adapter finishes the job: a `streamText` result is read to its end
 * (tokens, tool calls and results as events, usage per step), a
 * `generateText` result has its steps reported; either goes through `output`.
 * Any other return value is the step output as is (report usage yourself).
 * Types: the input comes from `fn`'s parameter, the output from `output` when it is
 * a function, else `string` for an SDK result or `fn`'s own return type.
 *
 * @example
 * ```ts
 * const summarize = fromFunction((text: string, { abortSignal, maxRetries }) =>
 *   streamText({ model, prompt: `Summarize: ${text}`, abortSignal, maxRetries }), { id: 'summarizer' });
 * ```
 */
export function fromFunction<TInput = unknown, TResult = unknown, TOutput = FunctionOutput<TResult>>(
  fn: AiSdkFunction<TInput, TResult>,
  options: AiSdkBaseOptions<TOutput>,
): Agent<TInput, TOutput> {
  if (typeof fn !== 'function') {
    throw new AiSdkAdapterOptionsError(
      `fromFunction: expected a function (input, { abortSignal, maxRetries, ctx }) => result, received ${fn === null ? 'null' : typeof fn}`,
    );
  }
  validateOptions('fromFunction', baseOptionsSchema, options);
  const emitTokens = options.emitTokens ?? true;
  const maxRetries = options.maxRetries ?? 0;
  return {
    ...identity(options, { name: fn.name || undefined }),
    invoke: (input: TInput, ctx: StepContext): Promise<TOutput> =>
      settle(ctx, async () => {
        const value = await fn(input, { abortSignal: ctx.signal, maxRetries, ctx });
        if (isStreamResult(value))
          return selectOutput(options.output, await consumeStream(value as never, ctx, emitTokens), ctx);
        if (isGenerateResult(value)) return selectOutput(options.output, reportGenerated(value as never, ctx), ctx);
        return value as TOutput;
      }),
  };
}
