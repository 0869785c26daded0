/** The offline models and the minimal step context the adapter bench calls. */
import type { StepContext } from '@baton/core';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { RunnableLambda } from '@langchain/core/runnables';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';

/** The prompt every call sends. */
export const PROMPT = 'Say one thing about Baton.';
/** What every fake model answers: 27 characters, which LangChain's fake model streams as 27 chunks. */
export const ANSWER = 'Baton runs agent workflows.';
/** The AI SDK mock streams the answer in these 4 deltas (about what a provider sends for a short answer). */
const DELTAS = ['Baton ', 'runs ', 'agent ', 'workflows.'];

/** LangChain's fake chat model (from `@langchain/core/utils/testing`), answering `ANSWER` to everything. */
export function fakeChatModel(): FakeListChatModel {
  return new FakeListChatModel({ responses: [ANSWER] });
}

/** A trivial `RunnableLambda` (the prompt's length): the runnable kind with the least work of its own. */
export function lambda(): RunnableLambda<string, number> {
  return RunnableLambda.from((text: string) => text.length);
}

/**
 * What a user who wants tokens without Baton passes to LangChain: a handler that
 * prefers streaming (so `invoke` streams) and is awaited (so every token has been
 * handled when `invoke` resolves), as the adapter's own handler does.
 */
export class StreamingHandler extends BaseCallbackHandler {
  name = 'bench_streaming';
  readonly lc_prefer_streaming = true;
  tokens = 0;
  constructor() {
    super({ _awaitHandler: true });
  }
  override handleLLMNewToken(): void {
    this.tokens++;
  }
}

const usage = {
  inputTokens: { total: 8, noCache: 8, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const finishReason = { unified: 'stop', raw: 'stop' } as const;

/** The AI SDK's mock model (from `ai/test`): `ANSWER` from `doGenerate`, or streamed in 4 deltas. */
export function mockModel(): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: 'mock.chat',
    modelId: 'mock-model',
    doGenerate: async () => ({ content: [{ type: 'text', text: ANSWER }], finishReason, usage, warnings: [] }),
    doStream: async () => ({
      stream: convertArrayToReadableStream([
        { type: 'stream-start' as const, warnings: [] },
        { type: 'text-start' as const, id: 't' },
        ...DELTAS.map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
        { type: 'text-end' as const, id: 't' },
        { type: 'finish' as const, finishReason, usage },
      ]),
    }),
  });
}

/** The mock keeps every call's options; drop them between samples so memory stays flat. */
export function forgetCalls(model: MockLanguageModelV3): void {
  model.doGenerateCalls.length = 0;
  model.doStreamCalls.length = 0;
}

/**
 * The least a supervisor hands a step: one context reused for every call, whose
 * `emit` and `reportUsage` only count (the supervisor's own event cost is measured
 * separately, in the supervisor table).
 */
export function minimalContext(): StepContext & { emitted: number } {
  const ctx = {
    runId: 'bench-run',
    stepId: 'step',
    attempt: 1,
    signal: new AbortController().signal,
    idempotencyKey: 'bench-run:step',
    outputs: {},
    input: undefined,
    workflow: { name: 'bench', version: '1', hash: 'b'.repeat(64) },
    emitted: 0,
    emit: () => {
      ctx.emitted++;
    },
    reportUsage: () => {
      ctx.emitted++;
    },
    waitFor: () => Promise.reject(new Error('the adapter benches never wait for input')),
  };
  return ctx;
}
