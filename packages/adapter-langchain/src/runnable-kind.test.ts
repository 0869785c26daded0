import { describe, expect, it } from 'vitest';
import { RunnableLambda } from '@langchain/core/runnables';
import { fakeModel } from '@langchain/core/testing';
import { FakeListChatModel, FakeLLM } from '@langchain/core/utils/testing';
import { MessagesAnnotation, StateGraph } from '@langchain/langgraph';
import { createAgent } from 'langchain';
import { z } from 'zod';
import { createTestStepContext } from '@baton/core/testing';
import { fromRunnable } from './from-runnable.js';
import { inferProvider, runnableKind } from './runnable-kind.js';

describe('runnableKind', () => {
  it('tells chat models (also bound and configured), LLMs, message graphs and other runnables apart', () => {
    const chat = new FakeListChatModel({ responses: ['x'] });
    expect(runnableKind(chat)).toBe('chat-model');
    expect(runnableKind(chat.withConfig({ tags: ['a'] }))).toBe('chat-model');
    expect(runnableKind(chat.bindTools([{ name: 't', schema: z.object({}) }]))).toBe('chat-model');
    expect(runnableKind(new FakeLLM({}))).toBe('llm');
    expect(runnableKind(createAgent({ model: fakeModel(), tools: [] }))).toBe('messages-graph');
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('n', () => ({}))
      .addEdge('__start__', 'n')
      .compile();
    expect(runnableKind(graph)).toBe('messages-graph');
    expect(runnableKind(RunnableLambda.from((x: number) => x))).toBe('runnable');
  });

  it('infers the provider from ls_provider or a provider:model string', () => {
    expect(inferProvider(createAgent({ model: 'anthropic:claude-sonnet-4-5', tools: [] }))).toBe('anthropic');
    expect(inferProvider(createAgent({ model: 'google-vertexai:gemini-2.5-pro', tools: [] }))).toBe('gcp.vertex_ai');
    expect(inferProvider(createAgent({ model: 'bedrock_converse:claude', tools: [] }))).toBe('aws.bedrock');
    // A fake model's ls_provider is its class name: left out, never passed on.
    expect(inferProvider(new FakeListChatModel({ responses: ['x'] }))).toBeUndefined();
    expect(
      inferProvider(createAgent({ model: new FakeListChatModel({ responses: ['x'] }), tools: [] })),
    ).toBeUndefined();
    expect(inferProvider(createAgent({ model: 'my-local-server:llama', tools: [] }))).toBeUndefined();
    // What ChatVertexAI / ChatBedrockConverse report as ls_provider, on a fake model that reports it the same way.
    for (const [lsProvider, expected] of [
      ['google_vertexai', 'gcp.vertex_ai'],
      ['amazon_bedrock', 'aws.bedrock'],
      ['azure', 'azure.ai.openai'],
      ['google_genai', 'gcp.gemini'],
      ['openai', 'openai'],
    ] as const) {
      const model = new (class extends FakeListChatModel {
        override getLsParams(options: this['ParsedCallOptions']) {
          return { ...super.getLsParams(options), ls_provider: lsProvider };
        }
      })({ responses: ['x'] });
      expect(inferProvider(model)).toBe(expected);
      expect(inferProvider(model.withConfig({ runName: 'bound' }))).toBe(expected);
    }
    expect(inferProvider(RunnableLambda.from((x: number) => x))).toBeUndefined();
  });

  it('runs an LLM with a prompt built from object input', async () => {
    const llm = new FakeLLM({});
    await expect(fromRunnable(llm, { id: 'llm' }).invoke({ question: 'why' }, createTestStepContext())).resolves.toBe(
      '{"question":"why"}',
    );
  });
});
