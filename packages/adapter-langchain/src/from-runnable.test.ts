import { describe, expect, it } from 'vitest';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { AIMessage } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda } from '@langchain/core/runnables';
import { fakeModel } from '@langchain/core/testing';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { StateGraph, MessagesAnnotation } from '@langchain/langgraph';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';
import { createTestStepContext } from '@baton/core/testing';
import { fromRunnable } from './from-runnable.js';
import { LangChainAdapterOptionsError } from './errors.js';

const search = tool(async ({ query }: { query: string }) => `3 results for ${query}`, {
  name: 'search',
  description: 'Searches the web',
  schema: z.object({ query: z.string() }),
});

describe('fromRunnable: chat models', () => {
  it('streams tokens to ctx.emit and returns the message text', async () => {
    const agent = fromRunnable(new FakeListChatModel({ responses: ['Hi!'] }), { id: 'chat' });
    const ctx = createTestStepContext();
    await expect(agent.invoke('hello', ctx)).resolves.toBe('Hi!');
    expect(ctx.progress.filter((p: any) => p.type === 'token')).toEqual([
      { type: 'token', text: 'H' },
      { type: 'token', text: 'i' },
      { type: 'token', text: '!' },
    ]);
    expect(ctx.progress.at(-1)).toMatchObject({ type: 'model-finish' });
  });

  it('does not stream when emitTokens is false, and still reports usage from the returned message', async () => {
    const ctx = createTestStepContext();
    await fromRunnable(new FakeListChatModel({ responses: ['Hi!'] }), { id: 'chat', emitTokens: false }).invoke(
      'hello',
      ctx,
    );
    expect(ctx.progress).toEqual([{ type: 'model-finish' }]);
    const model = fakeModel().respond(
      new AIMessage({ content: 'ok', usage_metadata: { input_tokens: 2, output_tokens: 1, total_tokens: 3 } }),
    );
    const direct = createTestStepContext();
    await expect(fromRunnable(model, { id: 'm', emitTokens: false }).invoke('q', direct)).resolves.toBe('ok');
    expect(direct.usage).toEqual([{ inputTokens: 2, outputTokens: 1, totalTokens: 3 }]);
  });

  it('infers name and provider, and lets options override them', () => {
    const agent = fromRunnable(new FakeListChatModel({ responses: ['x'] }), { id: 'chat' });
    expect(agent).toMatchObject({ id: 'chat', name: 'FakeListChatModel' });
    expect(agent).not.toHaveProperty('provider'); // ls_provider is the class name here: not a provider
    const named = fromRunnable(new FakeListChatModel({ responses: ['x'] }), {
      id: 'chat',
      name: 'Writer',
      provider: 'openai',
    });
    expect(named).toMatchObject({ name: 'Writer', provider: 'openai' });
  });

  it('reports usage_metadata once per model call, with the model name', async () => {
    const model = fakeModel().respond(
      new AIMessage({
        content: 'ok',
        usage_metadata: { input_tokens: 12, output_tokens: 3, total_tokens: 15 },
        response_metadata: { model_name: 'gpt-test', finish_reason: 'stop' },
      }),
    );
    const ctx = createTestStepContext();
    await fromRunnable(model, { id: 'm' }).invoke('q', ctx);
    expect(ctx.usage).toEqual([{ inputTokens: 12, outputTokens: 3, totalTokens: 15, model: 'gpt-test' }]);
    expect(ctx.progress).toContainEqual({
      type: 'model-finish',
      model: 'gpt-test',
      finishReason: 'stop',
      usage: ctx.usage[0],
    });
  });

  it('sends { messages } input to a chat model as the message list', async () => {
    const model = fakeModel().respond(new AIMessage('ok'));
    await fromRunnable(model, { id: 'm' }).invoke(
      { messages: [{ role: 'user', content: 'hey' }] },
      createTestStepContext(),
    );
    expect(model.calls[0]!.messages.map((m) => m.content)).toEqual(['hey']);
  });
});

describe('fromRunnable: agents, graphs and chains', () => {
  it('runs a createAgent agent: tool calls surface as events and the last message is the output', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'search', args: { query: 'baton' }, id: 'call-1' }])
      .respond(new AIMessage('Baton is a workflow engine.'));
    const agent = fromRunnable(createAgent({ model, tools: [search] }), { id: 'researcher' });
    const ctx = createTestStepContext();
    await expect(agent.invoke('What is Baton?', ctx)).resolves.toBe('Baton is a workflow engine.');
    expect(ctx.progress).toContainEqual({
      type: 'tool-call',
      toolName: 'search',
      toolCallId: 'call-1',
      input: { query: 'baton' },
    });
    expect(ctx.progress).toContainEqual({
      type: 'tool-result',
      toolName: 'search',
      toolCallId: 'call-1',
      output: '3 results for baton',
    });
    expect(model.calls[0]!.messages.map((m) => m.content)).toEqual(['What is Baton?']);
  });

  it('returns structuredResponse of an agent when it has one', async () => {
    const model = fakeModel().respond(new AIMessage('done'));
    const fakeAgentState = RunnableLambda.from(async () => ({
      messages: [await model.invoke('x')],
      structuredResponse: { score: 3 },
    }));
    await expect(fromRunnable(fakeAgentState, { id: 'a' }).invoke('x', createTestStepContext())).resolves.toEqual({
      score: 3,
    });
  });

  it('runs a compiled LangGraph graph with a messages channel', async () => {
    const model = new FakeListChatModel({ responses: ['from the graph'] });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('model', async (state) => ({ messages: [await model.invoke(state.messages)] }))
      .addEdge('__start__', 'model')
      .compile();
    const ctx = createTestStepContext();
    await expect(fromRunnable(graph, { id: 'graph' }).invoke('hi', ctx)).resolves.toBe('from the graph');
    expect(ctx.progress.filter((p: any) => p.type === 'token')).toHaveLength('from the graph'.length);
  });

  it('passes chain input through unchanged and maps with input/output options', async () => {
    const chain = ChatPromptTemplate.fromTemplate('Summarize {topic}').pipe(
      new FakeListChatModel({ responses: ['short'] }),
    );
    await expect(fromRunnable(chain, { id: 'chain' }).invoke({ topic: 'x' }, createTestStepContext())).resolves.toBe(
      'short',
    );
    const mapped = fromRunnable<string, { summary: string }>(chain, {
      id: 'chain',
      input: (topic) => ({ topic }),
      output: (message: AIMessage) => ({ summary: String(message.content) }),
    });
    await expect(mapped.invoke('y', createTestStepContext())).resolves.toEqual({ summary: 'short' });
    await expect(
      fromRunnable(chain, { id: 'chain', output: 'raw' }).invoke({ topic: 'x' }, createTestStepContext()),
    ).resolves.toBeInstanceOf(AIMessage);
  });

  it('merges the user config: their callbacks still run, Baton ids land in metadata', async () => {
    const seen: string[] = [];
    class Recorder extends BaseCallbackHandler {
      name = 'recorder';
      override handleChainStart(
        _chain: unknown,
        _inputs: unknown,
        _runId: string,
        _parent?: string,
        _tags?: string[],
        metadata?: Record<string, unknown>,
      ) {
        seen.push(`${metadata?.baton_step_id}/${metadata?.team}`);
      }
    }
    const lambda = RunnableLambda.from((x: string) => x.toUpperCase());
    const agent = fromRunnable(lambda, {
      id: 'l',
      config: (ctx) => ({ callbacks: [new Recorder({ _awaitHandler: true })], metadata: { team: ctx.runId } }),
    });
    await expect(agent.invoke('a', createTestStepContext())).resolves.toBe('A');
    expect(seen).toEqual(['step-1/run-1']);
  });
  it('combines a signal from the user config with the step signal', async () => {
    const userController = new AbortController();
    const model = new FakeListChatModel({ responses: ['long answer'], sleep: 5 });
    const ctx = createTestStepContext({ emit: () => userController.abort(new Error('user stop')) });
    await expect(
      fromRunnable(model, { id: 'x', config: { signal: userController.signal } }).invoke('q', ctx),
    ).rejects.toThrow();
    expect(ctx.signal.aborted).toBe(false);
  });
});

describe('fromRunnable: options', () => {
  it('rejects a missing id and a non-runnable with LangChainAdapterOptionsError', () => {
    const model = new FakeListChatModel({ responses: ['x'] });
    expect(() => fromRunnable(model, {} as never)).toThrow(LangChainAdapterOptionsError);
    expect(() => fromRunnable(model, { id: '  ' })).toThrow(/fromRunnable: invalid options \(id: /);
    expect(() => fromRunnable(model, { id: 'x', emitTokens: 'yes' } as never)).toThrow(/emitTokens: /);
    expect(() => fromRunnable({} as never, { id: 'x' })).toThrow(
      'fromRunnable: expected a Runnable (an object with invoke(input, config)), received object without invoke()',
    );
    expect(() => fromRunnable(model, { id: 'x', bogus: 1 } as never)).toThrow(/bogus/);
  });

  it('rethrows the signal reason when the call is aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('step cancelled');
    const model = new FakeListChatModel({ responses: ['long answer'], sleep: 5 });
    const ctx = createTestStepContext({ signal: controller.signal, emit: () => controller.abort(reason) });
    await expect(fromRunnable(model, { id: 'x' }).invoke('q', ctx)).rejects.toBe(reason);
  });
});
