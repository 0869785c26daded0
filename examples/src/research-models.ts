/**
 * The models of the research-and-write example: a real provider when its API key is set,
 * LangChain's and the AI SDK's own offline test models otherwise. The provider packages
 * are imported only when their key is set, so the offline path loads no network client.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import type { LanguageModel } from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';

/** What the workflow runs on. */
export interface ResearchModels {
  /** `offline` for the scripted models, else the provider's name. */
  provider: 'offline' | 'openai' | 'anthropic';
  /** One line saying which models these are and why they were chosen. */
  description: string;
  /** LangChain chat model of the researcher agent (it calls the `search_notes` tool). */
  researcher: BaseChatModel;
  /** LangChain chat model of the headline chain. */
  headliner: BaseChatModel;
  /** AI SDK model of the writer (it calls the `countWords` tool). */
  writer: LanguageModel;
}

/** Environment variables the example reads. */
export type ModelEnv = Partial<
  Record<'OPENAI_API_KEY' | 'OPENAI_MODEL' | 'ANTHROPIC_API_KEY' | 'ANTHROPIC_MODEL', string>
>;

/** OpenAI when `OPENAI_API_KEY` is set, else Anthropic when `ANTHROPIC_API_KEY` is, else the offline models. */
export async function chooseModels(env: ModelEnv, topic: string): Promise<ResearchModels> {
  if (env.OPENAI_API_KEY) {
    const model = env.OPENAI_MODEL ?? 'gpt-4.1-mini';
    const apiKey = env.OPENAI_API_KEY;
    const [{ ChatOpenAI }, { createOpenAI }] = await Promise.all([
      import('@langchain/openai'),
      import('@ai-sdk/openai'),
    ]);
    // maxRetries 0: Baton retries the step (honouring Retry-After, feeding the breaker), not the client.
    const chat = () => new ChatOpenAI({ model, apiKey, maxRetries: 0 });
    return {
      provider: 'openai',
      description: `OpenAI ${model} (OPENAI_API_KEY is set)`,
      researcher: chat(),
      headliner: chat(),
      writer: createOpenAI({ apiKey })(model),
    };
  }
  if (env.ANTHROPIC_API_KEY) {
    const model = env.ANTHROPIC_MODEL ?? 'claude-haiku-4-5';
    const apiKey = env.ANTHROPIC_API_KEY;
    const [{ ChatAnthropic }, { createAnthropic }] = await Promise.all([
      import('@langchain/anthropic'),
      import('@ai-sdk/anthropic'),
    ]);
    const chat = () => new ChatAnthropic({ model, apiKey, maxRetries: 0 });
    return {
      provider: 'anthropic',
      description: `Anthropic ${model} (ANTHROPIC_API_KEY is set)`,
      researcher: chat(),
      headliner: chat(),
      writer: createAnthropic({ apiKey })(model),
    };
  }
  return offlineModels(topic);
}

/** The scripted models: no key, no network, the same answers every time. */
export function offlineModels(topic: string): ResearchModels {
  return {
    provider: 'offline',
    description: 'offline scripted models (set OPENAI_API_KEY or ANTHROPIC_API_KEY for a real provider)',
    researcher: offlineResearcher(topic),
    headliner: new FakeListChatModel({ responses: [offlineHeadline(topic)] }),
    writer: offlineWriter(topic),
  };
}

/** The headline the offline headliner streams. */
export function offlineHeadline(topic: string): string {
  return `${topic}: agents that fail gracefully`;
}

/**
 * LangChain's scripted fake model (`fakeModel` from `@langchain/core/testing`: the fake
 * models of `@langchain/core/utils/testing` cannot answer with tool calls turn by turn):
 * first it calls `search_notes`, then it sums up what the tool returned.
 */
function offlineResearcher(topic: string): BaseChatModel {
  return fakeModel()
    .respondWithTools([{ name: 'search_notes', args: { query: `${topic} reliability` }, id: 'search-1' }])
    .respond((messages: BaseMessage[]) => {
      const found = String(messages.at(-1)?.content ?? '')
        .split('\n')
        .filter(Boolean);
      return new AIMessage({
        content: found.join(' '),
        usage_metadata: { input_tokens: 120, output_tokens: 40, total_tokens: 160 },
      });
    });
}

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

/** A provider-level stream part (derived: `@ai-sdk/provider` is not a direct dependency). */
type StreamPart =
  Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

/** The AI SDK's mock model (`ai/test`): first it counts the words of its draft with a tool, then it streams the article. */
function offlineWriter(topic: string): MockLanguageModelV3 {
  const article = articleDeltas(topic);
  const toolTurn: StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    {
      type: 'tool-call',
      toolCallId: 'count-1',
      toolName: 'countWords',
      input: JSON.stringify({ text: article[0]!.trim() }),
    },
    { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(200, 20) },
  ];
  const textTurn: StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 'article' },
    ...article.map((delta): StreamPart => ({ type: 'text-delta', id: 'article', delta })),
    { type: 'text-end', id: 'article' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(240, 45) },
  ];
  let calls = 0;
  return new MockLanguageModelV3({
    provider: 'offline.chat',
    modelId: 'offline-writer',
    doStream: async () => ({ stream: convertArrayToReadableStream(calls++ === 0 ? toolTurn : textTurn) }),
  });
}

/** The article the offline writer streams, in the deltas it streams it in. */
function articleDeltas(topic: string): string[] {
  return [
    `${topic} keeps multi-agent work on track. `,
    'It retries what failed, ',
    'stops calling agents that keep failing, ',
    'and resumes a killed run where it stopped.',
  ];
}

/** The article the offline writer streams (for tests). */
export function offlineArticle(topic: string): string {
  return articleDeltas(topic).join('');
}
