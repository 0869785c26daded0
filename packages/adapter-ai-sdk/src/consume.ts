import type { StepContext, TokenUsage } from '@baton/core';
import type { AgentProgress } from './progress.js';

// biome-ignore lint/suspicious/noExplicitAny: a duck-typed probe of the SDK's stream parts
type Probe = Record<string, any>;

/** What a finished AI SDK call comes down to; `output` selectors receive it. */
export interface AiSdkCallResult {
  /** Text of the last step (what `result.text` gives). */
  text: string;
  /** Why the last step stopped: `stop`, `length`, `tool-calls`, `content-filter`, `error`, `other`. */
  finishReason: string;
  /** Tokens of the whole call (all steps). */
  usage: TokenUsage;
  /** Model calls made. */
  steps: number;
  /** The SDK's own result (`GenerateTextResult` or a consumed `StreamTextResult`), e.g. for `await raw.output`. */
  raw: unknown;
}

/** True for a `StreamTextResult` (what `streamText` and `agent.stream` return). */
export function isStreamResult(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'fullStream' in value && 'totalUsage' in value;
}

/** True for a `GenerateTextResult` (what `generateText` and `agent.generate` return). */
export function isGenerateResult(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as Probe).steps) &&
    'finishReason' in value &&
    'text' in value
  );
}

/**
 * Reads a stream result to its end: tokens, tool calls and results go to
 * `ctx.emit`, each step's usage to `ctx.reportUsage`. Throws the stream's
 * error part as is (so classifiers see the SDK's error), or the signal's
 * reason when the call was aborted.
 */
export async function consumeStream(result: Probe, ctx: StepContext, emitTokens: boolean): Promise<AiSdkCallResult> {
  let steps = 0;
  let finish: Probe | undefined;
  for await (const part of result.fullStream as AsyncIterable<Probe>) {
    switch (part.type) {
      case 'text-delta':
        if (emitTokens && part.text) ctx.emit({ type: 'token', text: part.text } satisfies AgentProgress);
        break;
      case 'tool-call':
      case 'tool-result':
      case 'tool-error':
        ctx.emit(toolProgress(part));
        break;
      case 'finish-step':
        steps++;
        reportStep(ctx, part.usage, part.finishReason, part.response?.modelId);
        break;
      case 'finish':
        finish = part;
        break;
      case 'error':
        throw part.error;
      case 'abort':
        throw ctx.signal.aborted ? ctx.signal.reason : new Error('The AI SDK stream was aborted');
    }
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  return {
    text: await result.text,
    finishReason: finish?.finishReason ?? 'other',
    usage: toTokenUsage(finish?.totalUsage),
    steps,
    raw: result,
  };
}

/** Reports what a finished `generateText` result did, step by step (usage, tool calls, results). */
export function reportGenerated(result: Probe, ctx: StepContext): AiSdkCallResult {
  for (const step of result.steps as Probe[]) reportGeneratedStep(step, ctx);
  return summarizeGenerated(result);
}

/** The `AiSdkCallResult` of a `generateText` result (reports nothing). */
export function summarizeGenerated(result: Probe): AiSdkCallResult {
  const usage = toTokenUsage(result.totalUsage ?? result.usage);
  return {
    text: result.text,
    finishReason: result.finishReason,
    usage,
    steps: (result.steps as Probe[]).length,
    raw: result,
  };
}

/** Emits one generated step's tool calls and results, then its usage (the order a stream gives). */
export function reportGeneratedStep(step: Probe, ctx: StepContext): void {
  for (const call of step.toolCalls ?? []) ctx.emit(toolProgress({ type: 'tool-call', ...call }));
  for (const part of step.content ?? []) {
    if (part.type === 'tool-result' || part.type === 'tool-error') ctx.emit(toolProgress(part));
  }
  reportStep(ctx, step.usage, step.finishReason, step.response?.modelId);
}

function reportStep(
  ctx: StepContext,
  usage: Probe | undefined,
  finishReason: string | undefined,
  model: string | undefined,
): void {
  const tokens = toTokenUsage(usage, model);
  const counted =
    tokens.inputTokens !== undefined || tokens.outputTokens !== undefined || tokens.totalTokens !== undefined;
  if (counted) ctx.reportUsage(tokens);
  ctx.emit({
    type: 'model-finish',
    ...(model ? { model } : {}),
    ...(finishReason ? { finishReason } : {}),
    ...(counted ? { usage: tokens } : {}),
  } satisfies AgentProgress);
}

function toolProgress(part: Probe): AgentProgress {
  const ids = { toolName: String(part.toolName), ...(part.toolCallId ? { toolCallId: String(part.toolCallId) } : {}) };
  if (part.type === 'tool-call') return { type: 'tool-call', ...ids, input: part.input };
  if (part.type === 'tool-result') return { type: 'tool-result', ...ids, output: part.output };
  return { type: 'tool-error', ...ids, message: part.error instanceof Error ? part.error.message : String(part.error) };
}

/** The SDK's `LanguageModelUsage` as Baton's `TokenUsage` (absent counts stay absent). */
export function toTokenUsage(usage: Probe | undefined, model?: string): TokenUsage {
  return {
    ...(typeof usage?.inputTokens === 'number' ? { inputTokens: usage.inputTokens } : {}),
    ...(typeof usage?.outputTokens === 'number' ? { outputTokens: usage.outputTokens } : {}),
    ...(typeof usage?.totalTokens === 'number' ? { totalTokens: usage.totalTokens } : {}),
    ...(model ? { model } : {}),
  };
}
