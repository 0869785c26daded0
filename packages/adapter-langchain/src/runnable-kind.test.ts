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
    expect(inferProvider(new FakeListChatModel({ responses: ['x'] }))).toBe('FakeListChatModel');
    expect(inferProvider(RunnableLambda.from((x: number) => x))).toBeUndefined();
  });

  it('runs an LLM with a prompt built from object input', async () => {
    const llm = new FakeLLM({});
    await expect(fromRunnable(llm, { id: 'llm' }).invoke({ question: 'why' }, createTestStepContext())).resolves.toBe(
      '{"question":"why"}',
    );
  });
});
