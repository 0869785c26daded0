import type { Agent, ErrorClassification, StepContext } from '@baton/core';
import { classifyLangChainError } from './classify-langchain-error.js';
import { LangChainAdapterOptionsError } from './errors.js';
import { defaultInput, defaultOutput, isMessage } from './io-mapping.js';
import { validateOptions, type FromRunnableOptions, type RunnableConfigLike } from './options.js';
import { BatonProgressHandler, reportModelCall } from './progress-handler.js';
import { inferName, inferProvider, runnableKind, type RunnableLike } from './runnable-kind.js';
import type { RunnableStepInput, RunnableStepOutput } from './runnable-types.js';

/** What `output` may be: `'auto'`, `'raw'` or a function of the runnable's result. */
// biome-ignore lint/suspicious/noExplicitAny: the runnable's raw result, typed by the user's own callback
export type OutputOption = 'auto' | 'raw' | ((result: any, ctx: StepContext) => unknown);

/**
 * Turns a LangChain runnable into a Baton `Agent`: chat models and LLMs,
 * chains (`prompt.pipe(model)`), `RunnableLambda`s, LangChain v1 agents from
 * `createAgent`, and compiled LangGraph graphs.
 *
 * Types: without explicit type arguments the agent's input and output are inferred
 * from the runnable (a chain or lambda takes its own input, a model or agent any
 * value it can turn into a prompt) and from `output` (`'auto'` gives a model's or
 * agent's text, or `structuredResponse`; `'raw'` the result; a function its return).
 *
 * Each call passes the step's `signal` in the runnable config (so an abort stops
 * the model's stream between chunks), streams tokens and tool calls to
 * `ctx.emit`, reports `usage_metadata` through `ctx.reportUsage`, and exposes
 * `classifyLangChainError` as the agent's classifier.
 *
 * @example
 * ```ts
 * const writer = fromRunnable(createAgent({ model, tools }), { id: 'writer' });
 * defineWorkflow({ name: 'w', version: '1', steps: { write: { run: writer } } });
 * ```
 */
export function fromRunnable<
  R extends RunnableLike,
  TInput = RunnableStepInput<R>,
  TOutputOption extends OutputOption = 'auto',
>(
  runnable: R,
  options: Omit<FromRunnableOptions<TInput>, 'output'> & { output?: TOutputOption },
): Agent<TInput, RunnableStepOutput<R, TOutputOption>>;
/** With explicit types (`fromRunnable<Input, Output>(...)`): the agent has those types. */
export function fromRunnable<TInput = unknown, TOutput = unknown>(
  runnable: RunnableLike,
  options: FromRunnableOptions<TInput, TOutput>,
): Agent<TInput, TOutput>;
export function fromRunnable<TInput = unknown, TOutput = unknown>(
  runnable: RunnableLike,
  options: FromRunnableOptions<TInput, TOutput>,
): Agent<TInput, TOutput> {
  if (typeof (runnable as RunnableLike | undefined)?.invoke !== 'function') {
    throw new LangChainAdapterOptionsError(
      `fromRunnable: expected a Runnable (an object with invoke(input, config)), received ${describe(runnable)}`,
    );
  }
  validateOptions(options);
  const kind = runnableKind(runnable);
  const mapInput = options.input ?? ((input: TInput) => defaultInput(kind, input));
  const mapOutput = outputMapper(options.output);
  const emitTokens = options.emitTokens ?? true;
  // A model call that streams nothing needs no callbacks: LangChain skips its callback machinery
  // entirely without them (several times cheaper), and the usage is on the returned message.
  const direct = !emitTokens && (kind === 'chat-model' || kind === 'llm');
  const name = options.name ?? inferName(runnable);
  const provider = options.provider ?? inferProvider(runnable);
  return {
    id: options.id,
    ...(name ? { name } : {}),
    ...(provider ? { provider } : {}),
    classifyError: combineClassifiers(options.classifyError),
    async invoke(input: TInput, ctx: StepContext): Promise<TOutput> {
      const handler = direct ? undefined : new BatonProgressHandler(ctx, emitTokens);
      try {
        const result = await runnable.invoke(mapInput(input, ctx), buildConfig(options.config, ctx, handler));
        if (direct && isMessage(result)) reportModelCall(ctx, result as never);
        return (await mapOutput(result, ctx)) as TOutput;
      } catch (error) {
        // LangChain rejects with its own "aborted" error; the signal's reason says why (cancel vs timeout).
        throw ctx.signal.aborted && ctx.signal.reason !== undefined ? ctx.signal.reason : error;
      }
    },
    ...(options.health ? { health: options.health } : {}),
    ...(options.close ? { close: options.close } : {}),
  };
}

function outputMapper<TOutput>(
  output: FromRunnableOptions<unknown, TOutput>['output'],
): (result: unknown, ctx: StepContext) => unknown {
  if (typeof output === 'function') return output;
  if (output === 'raw') return (result) => result;
  return defaultOutput;
}

function combineClassifiers(
  own: FromRunnableOptions['classifyError'],
): (error: unknown) => ErrorClassification | undefined {
  if (!own) return classifyLangChainError;
  return (error) => own(error) ?? classifyLangChainError(error);
}

/**
 * The config of one call: the user's, plus the step's signal (combined with the
 * user's own signal if any), our progress handler after the user's callbacks,
 * and Baton ids in `metadata` so LangSmith traces can be matched to runs.
 */
function buildConfig(
  config: FromRunnableOptions['config'],
  ctx: StepContext,
  handler: BatonProgressHandler | undefined,
): RunnableConfigLike {
  const base = (typeof config === 'function' ? config(ctx) : config) ?? {};
  return {
    ...base,
    signal: base.signal ? AbortSignal.any([ctx.signal, base.signal]) : ctx.signal,
    ...(handler ? { callbacks: withHandler(base.callbacks, handler) } : {}),
    metadata: { ...base.metadata, baton_run_id: ctx.runId, baton_step_id: ctx.stepId, baton_attempt: ctx.attempt },
  };
}

/** Callbacks are an array of handlers or a `CallbackManager`; never mutate the user's. */
function withHandler(callbacks: unknown, handler: BatonProgressHandler): unknown {
  if (callbacks === undefined || callbacks === null) return [handler];
  if (Array.isArray(callbacks)) return [...callbacks, handler];
  const manager = callbacks as { copy?: () => { addHandler(handler: unknown, inherit?: boolean): void } };
  if (typeof manager.copy !== 'function') return [handler];
  const copy = manager.copy();
  copy.addHandler(handler, true);
  return copy;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return `${typeof value} ${JSON.stringify(value)}`;
  return `${typeof value} without invoke()`;
}
