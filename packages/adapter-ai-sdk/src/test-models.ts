import { APICallError } from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';

/** The provider-level stream part type (derived: `@ai-sdk/provider` is not a direct dependency). */
export type LanguageModelV3StreamPart =
  Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

/** A v3 usage record. */
export function usage(input: number, output: number) {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

/** The stream parts of one model turn answering with `text`, in deltas. */
export function textTurn(deltas: string[], tokens = usage(10, deltas.length)): LanguageModelV3StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', modelId: 'mock-model-1' },
    { type: 'text-start', id: 't' },
    ...deltas.map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
    { type: 'text-end', id: 't' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: tokens },
  ];
}

/** The stream parts of one model turn calling a tool. */
export function toolTurn(toolName: string, input: unknown, toolCallId = 'call-1'): LanguageModelV3StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', modelId: 'mock-model-1' },
    { type: 'tool-call', toolCallId, toolName, input: JSON.stringify(input) },
    { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(5, 2) },
  ];
}

/** A mock model (from `ai/test`) whose n-th stream call plays `turns[n]`; an Error entry is thrown instead. */
export function scriptedModel(turns: (LanguageModelV3StreamPart[] | Error)[]): MockLanguageModelV3 {
  let call = 0;
  return new MockLanguageModelV3({
    provider: 'mock.chat',
    modelId: 'mock-model-1',
    doStream: async () => {
      const turn = turns[Math.min(call++, turns.length - 1)]!;
      if (turn instanceof Error) throw turn;
      return { stream: convertArrayToReadableStream(turn) };
    },
  });
}

/** What a provider throws for an HTTP error: the SDK's own `APICallError`. */
export function apiCallError(statusCode: number, responseHeaders: Record<string, string> = {}): APICallError {
  return new APICallError({
    message: `HTTP ${statusCode}`,
    url: 'https://api.example.test/v1/chat',
    requestBodyValues: {},
    statusCode,
    responseHeaders,
  });
}
