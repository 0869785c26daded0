import { describe, expect, it, vi } from 'vitest';
import { generateText, Output, stepCountIs, streamText, tool, ToolLoopAgent } from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';
import { createSupervisor, defineWorkflow, type SupervisorEvent } from '@baton/core';
import { z } from 'zod';
import { createTestStepContext } from '@baton/core/testing';
import { AiSdkAdapterOptionsError } from './errors.js';
import { fromAgent } from './from-agent.js';
import { fromFunction } from './from-function.js';
import { fromModel } from './from-model.js';
import { apiCallError, scriptedModel, textTurn, toolTurn, usage } from './test-models.js';

const weather = tool({
  description: 'Weather in a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});

describe('fromModel', () => {
  it('runs the tool loop: tool calls and results surface as events, tokens stream, each step reports usage', async () => {
    const model = scriptedModel([toolTurn('weather', { city: 'Oslo' }), textTurn(['It is ', '21°C.'])]);
    const agent = fromModel(model, { id: 'forecaster', tools: { weather }, instructions: 'Be brief.' });
    const ctx = createTestStepContext();
    await expect(agent.invoke('Weather in Oslo?', ctx)).resolves.toBe('It is 21°C.');
    expect(ctx.progress).toEqual([
      { type: 'tool-call', toolName: 'weather', toolCallId: 'call-1', input: { city: 'Oslo' } },
      { type: 'tool-result', toolName: 'weather', toolCallId: 'call-1', output: { city: 'Oslo', celsius: 21 } },
      {
        type: 'model-finish',
        model: 'mock-model-1',
        finishReason: 'tool-calls',
        usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7, model: 'mock-model-1' },
      },
      { type: 'token', text: 'It is ' },
      { type: 'token', text: '21°C.' },
      {
        type: 'model-finish',
        model: 'mock-model-1',
        finishReason: 'stop',
        usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12, model: 'mock-model-1' },
      },
    ]);
    expect(ctx.usage).toHaveLength(2);
    const firstCall = model.doStreamCalls[0]!;
    expect(firstCall.prompt[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(firstCall.tools?.map((t) => t.name)).toEqual(['weather']);
  });

  it('names the agent by its id or given name, never the model, and infers only a well-known provider', () => {
    const agent = fromModel(scriptedModel([textTurn(['x'])]), { id: 'a' });
    // `mock.chat` is no provider the conventions list: left out rather than guessed.
    expect(agent).not.toHaveProperty('name');
    expect(agent).not.toHaveProperty('provider');
    expect(fromModel('openai/gpt-4.1', { id: 'b' })).toMatchObject({ id: 'b', provider: 'openai' });
    expect(fromModel('openai/gpt-4.1', { id: 'b' })).not.toHaveProperty('name');
    const anthropic = new MockLanguageModelV3({ provider: 'anthropic.messages', modelId: 'claude-x' });
    expect(fromModel(anthropic, { id: 'c', name: 'Critic' })).toMatchObject({ name: 'Critic', provider: 'anthropic' });
    expect(fromModel(anthropic, { id: 'd', provider: 'my-gateway' })).toMatchObject({ provider: 'my-gateway' });
  });

  it('under a supervisor: events name the agent by id, carry the provider, and usage carries the model', async () => {
    const model = new MockLanguageModelV3({
      provider: 'openai.chat',
      modelId: 'gpt-mock',
      doStream: async () => ({ stream: convertArrayToReadableStream(textTurn(['ok'])) }),
    });
    const supervisor = createSupervisor();
    const events: SupervisorEvent[] = [];
    supervisor.on('*', (event) => events.push(event));
    const workflow = defineWorkflow({
      name: 'named',
      version: '1',
      steps: { answer: { run: fromModel(model, { id: 'answerer' }) } },
    });
    expect((await supervisor.run(workflow, 'hi')).status).toBe('succeeded');
    const started = events.find((event) => event.type === 'step.started');
    expect(started).toMatchObject({ agentId: 'answerer', provider: 'openai' });
    expect(started).not.toHaveProperty('agentName');
    const usageEvent = events.find((event) => event.type === 'step.usage');
    expect(usageEvent).toMatchObject({ provider: 'openai', usage: { model: 'mock-model-1' } });
  });

  it('returns what the output selector picks from the finished call', async () => {
    const agent = fromModel(scriptedModel([textTurn(['a', 'b'])]), {
      id: 'a',
      output: (result) => ({
        text: result.text,
        finishReason: result.finishReason,
        steps: result.steps,
        total: result.usage.totalTokens,
      }),
    });
    await expect(agent.invoke('q', createTestStepContext())).resolves.toEqual({
      text: 'ab',
      finishReason: 'stop',
      steps: 1,
      total: 12,
    });
  });

  it('passes settings through (structured output via Output.object)', async () => {
    const model = scriptedModel([textTurn(['{"score":', '4}'])]);
    const agent = fromModel(model, {
      id: 'judge',
      settings: { output: Output.object({ schema: z.object({ score: z.number() }) }) },
      output: async (result) => (result.raw as { output: Promise<unknown> }).output,
    });
    await expect(agent.invoke('rate it', createTestStepContext())).resolves.toEqual({ score: 4 });
  });

  it('rejects bad options and bad models with AiSdkAdapterOptionsError', () => {
    const model = scriptedModel([textTurn(['x'])]);
    expect(() => fromModel(model, {} as never)).toThrow(AiSdkAdapterOptionsError);
    expect(() => fromModel(model, { id: 'a', maxRetries: -1 })).toThrow(/fromModel: invalid options \(maxRetries: /);
    expect(() => fromModel(model, { id: 'a', tool: {} } as never)).toThrow(/tool/);
    expect(() => fromModel(42 as never, { id: 'a' })).toThrow(
      'fromModel: expected an AI SDK language model or model id string, received number',
    );
  });
});

describe('fromAgent', () => {
  it("infers a well-known provider from a ToolLoopAgent's model, and none from an agent that exposes no model", () => {
    const openai = new MockLanguageModelV3({ provider: 'openai.responses', modelId: 'gpt-x' });
    expect(fromAgent(new ToolLoopAgent({ model: openai }), { id: 'o' })).toMatchObject({ provider: 'openai' });
    const vertex = new MockLanguageModelV3({ provider: 'google.vertex.chat', modelId: 'gemini-x' });
    expect(fromAgent(new ToolLoopAgent({ model: vertex }), { id: 'v' })).toMatchObject({ provider: 'gcp.vertex_ai' });
    expect(fromAgent(new ToolLoopAgent({ model: 'anthropic/claude-x' }), { id: 'g' })).toMatchObject({
      provider: 'anthropic',
    });
    const custom = { version: 'agent-v1', id: 'x', tools: {}, generate: vi.fn(), stream: vi.fn() } as never;
    expect(fromAgent(custom, { id: 'x' })).not.toHaveProperty('provider');
  });

  it('wraps a ToolLoopAgent and maps message input', async () => {
    const model = scriptedModel([textTurn(['hi'])]);
    const agent = fromAgent(new ToolLoopAgent({ id: 'greeter', model }), { id: 'greeter-1' });
    expect(agent.name).toBe('greeter');
    expect(agent).not.toHaveProperty('provider'); // mock.chat: not a well-known provider
    await expect(agent.invoke([{ role: 'user', content: 'hello' }], createTestStepContext())).resolves.toBe('hi');
    expect(model.doStreamCalls[0]!.prompt).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hello' }] }]);
  });

  it('uses generate() when stream is false, still reporting steps, tool calls and usage', async () => {
    const model = new MockLanguageModelV3({
      modelId: 'gen-1',
      doGenerate: [
        {
          content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: '{"city":"Rome"}' }],
          finishReason: { unified: 'tool-calls', raw: undefined },
          usage: usage(4, 1),
          warnings: [],
        },
        {
          content: [{ type: 'text', text: 'Sunny.' }],
          finishReason: { unified: 'stop', raw: undefined },
          usage: usage(8, 2),
          warnings: [],
        },
      ],
    });
    const agent = fromAgent(new ToolLoopAgent({ model, tools: { weather }, stopWhen: stepCountIs(5) }), {
      id: 'g',
      stream: false,
    });
    const ctx = createTestStepContext();
    await expect(agent.invoke('Rome?', ctx)).resolves.toBe('Sunny.');
    expect(ctx.progress.map((p: any) => p.type)).toEqual(['tool-call', 'tool-result', 'model-finish', 'model-finish']);
    expect(ctx.usage.map((u) => u.totalTokens)).toEqual([5, 10]);
  });

  it('turns the SDK retries off by default and lets options turn them back on', async () => {
    vi.useFakeTimers();
    try {
      const failing = () =>
        new MockLanguageModelV3({
          doStream: async () => {
            throw apiCallError(503);
          },
        });
      const noRetry = failing();
      await expect(
        fromAgent(new ToolLoopAgent({ model: noRetry }), { id: 'a' }).invoke('x', createTestStepContext()),
      ).rejects.toThrow('HTTP 503');
      expect(noRetry.doStreamCalls).toHaveLength(1);
      const withRetry = failing();
      const call = fromAgent(new ToolLoopAgent({ model: withRetry }), { id: 'a', maxRetries: 1 }).invoke(
        'x',
        createTestStepContext(),
      );
      const settled = expect(call).rejects.toThrow(/HTTP 503/);
      await vi.runAllTimersAsync();
      await settled;
      expect(withRetry.doStreamCalls).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a non-agent', () => {
    expect(() => fromAgent({} as never, { id: 'a' })).toThrow(
      'fromAgent: expected an AI SDK Agent (with generate() and stream()), received object without generate() and stream()',
    );
  });
});

describe('fromFunction', () => {
  it('consumes a returned streamText result', async () => {
    const model = scriptedModel([textTurn(['sum', 'mary'])]);
    const agent = fromFunction(
      (text: string, { abortSignal, maxRetries }) =>
        streamText({ model, prompt: `Summarize ${text}`, abortSignal, maxRetries }),
      { id: 'sum' },
    );
    const ctx = createTestStepContext();
    await expect(agent.invoke('doc', ctx)).resolves.toBe('summary');
    expect(ctx.progress.filter((p: any) => p.type === 'token')).toHaveLength(2);
    expect(ctx.usage).toEqual([{ inputTokens: 10, outputTokens: 2, totalTokens: 12, model: 'mock-model-1' }]);
  });

  it('reports a returned generateText result and passes other values through', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: {
        content: [{ type: 'text', text: 'done' }],
        finishReason: { unified: 'stop', raw: undefined },
        usage: usage(3, 1),
        warnings: [],
      },
    });
    const ctx = createTestStepContext();
    await expect(
      fromFunction(async (_: unknown, call) => generateText({ model, prompt: 'x', ...call }), { id: 'g' }).invoke(
        1,
        ctx,
      ),
    ).resolves.toBe('done');
    expect(ctx.usage).toEqual([{ inputTokens: 3, outputTokens: 1, totalTokens: 4, model: 'mock-model-id' }]);
    await expect(
      fromFunction(() => ({ custom: true }), { id: 'p' }).invoke(1, createTestStepContext()),
    ).resolves.toEqual({ custom: true });
  });
});
