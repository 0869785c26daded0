import type { LanguageModel, Agent as SdkAgent } from 'ai';
import type { Agent, ErrorClassification, StepContext } from '@baton/core';
import { classifyAiSdkError } from './classify-ai-sdk-error.js';
import { consumeStream, reportGeneratedStep, summarizeGenerated, type AiSdkCallResult } from './consume.js';
import { AiSdkAdapterOptionsError } from './errors.js';
import { inferFromModel } from './provider-name.js';
import {
  agentOptionsSchema,
  validateOptions,
  type AiSdkAgentOptions,
  type AiSdkBaseOptions,
  type AiSdkPrompt,
} from './options.js';

// biome-ignore lint/suspicious/noExplicitAny: any AI SDK agent, whatever its generics; the call carries fields the typed parameters omit
type AnySdkAgent = SdkAgent<any, any, any>;

/**
 * Turns an AI SDK agent (a `ToolLoopAgent`, or anything implementing the SDK's
 * `Agent` interface) into a Baton `Agent`.
 *
 * Each call passes the step's `signal` as `abortSignal`, streams text deltas,
 * tool calls and tool results to `ctx.emit`, reports every step's usage and
 * finish reason, and turns the SDK's own retries off (`maxRetries: 0`) so that
 * Baton's policy, Retry-After handling and breakers are the only ones at work.
 *
 * @example
 * ```ts
 * const writer = fromAgent(new ToolLoopAgent({ model, tools, instructions }), { id: 'writer' });
 * ```
 */
export function fromAgent<TInput = unknown, TOutput = string>(
  agent: AnySdkAgent,
  options: AiSdkAgentOptions<TInput, TOutput>,
): Agent<TInput, TOutput> {
  if (typeof agent?.generate !== 'function' || typeof agent?.stream !== 'function') {
    throw new AiSdkAdapterOptionsError(
      `fromAgent: expected an AI SDK Agent (with generate() and stream()), received ${describe(agent)}`,
    );
  }
  validateOptions('fromAgent', agentOptionsSchema, options);
  return agentFrom(agent, options, providerOfAgent(agent));
}

/**
 * The provider of a `ToolLoopAgent`'s model (it keeps its settings on the instance; the SDK's `Agent` interface
 * exposes no model), as a well-known `gen_ai.provider.name`; nothing for other agents or unknown providers.
 */
function providerOfAgent(agent: AnySdkAgent): { provider?: string } {
  const model = (agent as { settings?: { model?: unknown } }).settings?.model;
  if (typeof model !== 'string' && (typeof model !== 'object' || model === null)) return {};
  return inferFromModel(model as LanguageModel);
}

/** Builds the Baton agent; `fromModel` calls it with what it inferred from the model. */
export function agentFrom<TInput, TOutput>(
  agent: AnySdkAgent,
  options: AiSdkAgentOptions<TInput, TOutput>,
  inferred: { name?: string; provider?: string },
): Agent<TInput, TOutput> {
  const mapInput = options.input ?? ((input: TInput) => defaultPrompt(input));
  const stream = options.stream ?? true;
  const emitTokens = options.emitTokens ?? true;
  const maxRetries = options.maxRetries ?? 0;
  return {
    ...identity(options, { name: agent.id, ...inferred }),
    async invoke(input: TInput, ctx: StepContext): Promise<TOutput> {
      // `maxRetries` and `onError` are not in the typed call parameters; ToolLoopAgent forwards them
      // to streamText/generateText. onError is silenced because the error is rethrown to Baton instead.
      // biome-ignore lint/suspicious/noExplicitAny: any AI SDK agent, whatever its generics; the call carries fields the typed parameters omit
      const call = { ...mapInput(input, ctx), abortSignal: ctx.signal, maxRetries, onError: ignore } as any;
      return settle(ctx, async () => {
        const result = stream
          ? await consumeStream(await agent.stream(call), ctx, emitTokens)
          : summarizeGenerated(
              await agent.generate({
                ...call,
                onStepFinish: (step: unknown) => reportGeneratedStep(step as never, ctx),
              }),
            );
        return selectOutput(options.output, result, ctx);
      });
    },
  };
}

/** id, name, provider, classifier, health and close of an adapter agent. */
export function identity(
  // biome-ignore lint/suspicious/noExplicitAny: any AI SDK agent, whatever its generics; the call carries fields the typed parameters omit
  options: AiSdkBaseOptions<any>,
  inferred: { name?: string | undefined; provider?: string | undefined },
): Omit<Agent, 'invoke'> {
  const name = options.name ?? inferred.name;
  const provider = options.provider ?? inferred.provider;
  const own = options.classifyError;
  return {
    id: options.id,
    ...(name ? { name } : {}),
    ...(provider ? { provider } : {}),
    classifyError: own
      ? (error: unknown): ErrorClassification | undefined => own(error) ?? classifyAiSdkError(error)
      : classifyAiSdkError,
    ...(options.health ? { health: options.health } : {}),
    ...(options.close ? { close: options.close } : {}),
  };
}

/** Runs the call; when the step's signal aborted, throws its reason (cancel vs timeout) instead of the SDK's error. */
export async function settle<T>(ctx: StepContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw ctx.signal.aborted ? ctx.signal.reason : error;
  }
}

/** Applies the `output` option to a finished call. */
export async function selectOutput<TOutput>(
  output: AiSdkBaseOptions<TOutput>['output'],
  result: AiSdkCallResult,
  ctx: StepContext,
): Promise<TOutput> {
  return typeof output === 'function' ? output(result, ctx) : (result.text as TOutput);
}

/** The default input mapping (see `AiSdkAgentOptions.input`). */
export function defaultPrompt(input: unknown): AiSdkPrompt {
  if (typeof input === 'string') return { prompt: input };
  if (Array.isArray(input)) return { messages: input };
  if (typeof input === 'object' && input !== null && ('prompt' in input || 'messages' in input))
    return input as AiSdkPrompt;
  return { prompt: input === undefined ? '' : JSON.stringify(input) };
}

/** Names a value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return `${typeof value} ${JSON.stringify(value)}`;
  return `${typeof value} without ${typeof value === 'function' ? 'generate()' : 'generate() and stream()'}`;
}

function ignore(): void {}
