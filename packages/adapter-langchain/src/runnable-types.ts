// Type-level inference of what `fromRunnable` makes of a runnable; nothing here exists at run time.
// biome-ignore-all lint/suspicious/noExplicitAny: matching the invoke method of any runnable

/** The runnable's own input and result types, read from its `invoke`. */
type InvokeInput<R> = R extends { invoke(input: infer I, ...rest: any[]): any } ? I : unknown;
type InvokeResult<R> = R extends { invoke(...args: any[]): infer P } ? Awaited<P> : unknown;

/** A LangChain message, as the adapter recognises one at run time (io-mapping.ts `isMessage`). */
type MessageShape = { getType(): string; content: unknown };

/** True for a runnable that takes a prompt (chat model, LLM) or message state (agent, message graph). */
type TakesPrompt<R> = R extends { _llmType(): string }
  ? true
  : InvokeResult<R> extends MessageShape
    ? true
    : InvokeResult<R> extends { messages: readonly unknown[] }
      ? true
      : false;

/**
 * The step input `fromRunnable` accepts by default: any value for models, agents and
 * message graphs (the adapter turns it into a prompt or a user message), the runnable's
 * own input for chains and lambdas (passed unchanged).
 */
export type RunnableStepInput<R> = TakesPrompt<R> extends true ? unknown : InvokeInput<R>;

/** What `output: 'auto'` makes of a result: a message's text, agent state's `structuredResponse` or last message text, else the result. */
export type AutoOutput<T> = T extends MessageShape
  ? string
  : T extends { messages: readonly unknown[] }
    ? 'structuredResponse' extends keyof T
      ? Exclude<T['structuredResponse' & keyof T], undefined>
      : string
    : T;

/** The agent's output for an `output` option: the function's return, the raw result, or `AutoOutput`. */
export type RunnableStepOutput<R, TOption> = TOption extends (...args: any[]) => infer O
  ? Awaited<O>
  : TOption extends 'raw'
    ? InvokeResult<R>
    : AutoOutput<InvokeResult<R>>;
