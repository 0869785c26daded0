import { describe, expect, it } from 'vitest';
import { createSupervisor, defineWorkflow, type SupervisorEvent } from '@baton/core';
import { fromModel } from '@baton/adapter-ai-sdk';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { tool as aiTool } from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';
import { fromRunnable } from './from-runnable.js';

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

/** The AI SDK's mock model: first turn calls `countWords`, second turn writes the article. */
function writerModel() {
  const turns = [
    [
      { type: 'stream-start', warnings: [] },
      {
        type: 'tool-call',
        toolCallId: 'w-1',
        toolName: 'countWords',
        input: JSON.stringify({ text: 'Baton runs workflows' }),
      },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(20, 5) },
    ],
    [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Baton: ' },
      { type: 'text-delta', id: 't', delta: 'a workflow engine.' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(30, 6) },
    ],
  ] as const;
  let call = 0;
  return new MockLanguageModelV3({
    provider: 'mock.chat',
    modelId: 'writer-model',
    doStream: async () => ({ stream: convertArrayToReadableStream([...turns[Math.min(call++, 1)]!]) as never }),
  });
}

describe('a workflow mixing LangChain, the AI SDK and plain functions', () => {
  it('runs plan → (research ∥ check) → write → publish with both adapters', async () => {
    const researchModel = fakeModel()
      .respondWithTools([{ name: 'search', args: { query: 'baton workflow engine' }, id: 'lc-1' }])
      .respond(
        new AIMessage({
          content: 'Baton supervises multi-agent workflows.',
          usage_metadata: { input_tokens: 40, output_tokens: 8, total_tokens: 48 },
        }),
      );
    const search = tool(async ({ query }: { query: string }) => `top hit for "${query}"`, {
      name: 'search',
      description: 'web search',
      schema: z.object({ query: z.string() }),
    });
    const countWords = aiTool({
      description: 'counts words',
      inputSchema: z.object({ text: z.string() }),
      execute: async ({ text }) => text.split(/\s+/).length,
    });
    const writer = writerModel();

    const workflow = defineWorkflow({
      name: 'research-and-write',
      version: '1.0.0',
      steps: {
        plan: { run: (input: { topic: string }) => ({ question: `What is ${input.topic}?` }) },
        research: {
          run: fromRunnable(createAgent({ model: researchModel, tools: [search] }), {
            id: 'researcher',
            provider: 'fake',
          }),
          needs: ['plan'],
          input: (ctx) => (ctx.outputs.plan as { question: string }).question,
        },
        check: { run: (plan: { question: string }) => ({ ok: plan.question.length > 0 }), needs: ['plan'] },
        write: {
          run: fromModel(writer, { id: 'writer', tools: { countWords }, instructions: 'Write one line.' }),
          needs: ['research', 'check'],
          when: (ctx) => (ctx.outputs.check as { ok: boolean }).ok,
          input: (ctx) => `Write about: ${ctx.outputs.research}`,
        },
        publish: { run: (article: string) => ({ published: true, length: article.length }), needs: ['write'] },
      },
    });

    const supervisor = createSupervisor();
    const events: SupervisorEvent[] = [];
    supervisor.on('*', (event) => events.push(event));
    const result = await supervisor.run(workflow, { topic: 'Baton' });

    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({
      plan: { question: 'What is Baton?' },
      research: 'Baton supervises multi-agent workflows.',
      check: { ok: true },
      write: 'Baton: a workflow engine.',
      publish: { published: true, length: 'Baton: a workflow engine.'.length },
    });
    expect(researchModel.calls[0]!.messages.map((m) => m.content)).toEqual(['What is Baton?']);
    expect(writer.doStreamCalls[0]!.prompt.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'Write about: Baton supervises multi-agent workflows.' }],
    });

    const progress = events.flatMap((event) =>
      event.type === 'step.progress'
        ? [{ stepId: event.stepId, agentId: event.agentId, ...(event.data as object) }]
        : [],
    );
    expect(progress).toContainEqual({
      stepId: 'research',
      agentId: 'researcher',
      type: 'tool-call',
      toolName: 'search',
      toolCallId: 'lc-1',
      input: { query: 'baton workflow engine' },
    });
    expect(progress).toContainEqual({
      stepId: 'research',
      agentId: 'researcher',
      type: 'tool-result',
      toolName: 'search',
      toolCallId: 'lc-1',
      output: 'top hit for "baton workflow engine"',
    });
    expect(progress).toContainEqual({
      stepId: 'write',
      agentId: 'writer',
      type: 'tool-call',
      toolName: 'countWords',
      toolCallId: 'w-1',
      input: { text: 'Baton runs workflows' },
    });
    expect(progress).toContainEqual({
      stepId: 'write',
      agentId: 'writer',
      type: 'tool-result',
      toolName: 'countWords',
      toolCallId: 'w-1',
      output: 3,
    });

    const usageByStep = events.flatMap((event) =>
      event.type === 'step.usage' ? [[event.stepId, event.usage.totalTokens]] : [],
    );
    expect(usageByStep).toEqual([
      ['research', 48],
      ['write', 25],
      ['write', 36],
    ]);

    const started = events.flatMap((event) => (event.type === 'step.started' ? [event.stepId] : []));
    expect(started.indexOf('write')).toBeGreaterThan(started.indexOf('research'));
    expect(started.at(-1)).toBe('publish');
  });
});
