import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SupervisorEvent, SupervisorEventOf } from '@baton/core';
import { createSupervisor, defineWorkflow } from '@baton/core';
import { runAgentOnce } from '@baton/core/testing';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { createAgent } from 'langchain';
import { fromRunnable } from './from-runnable.js';

/** LangChain's own fake list model, counting the chunks its stream actually produces. */
class CountingChatModel extends FakeListChatModel {
  produced = 0;
  override async *_streamResponseChunks(...args: Parameters<FakeListChatModel['_streamResponseChunks']>) {
    for await (const chunk of super._streamResponseChunks(...args)) {
      this.produced++;
      yield chunk;
    }
  }
}

/** What a provider SDK (OpenAI, Anthropic) throws for an HTTP error, as LangChain passes it on. */
function providerError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`${status} from provider`), { status, headers: new Headers(headers) });
}

const ofType = <T extends SupervisorEvent['type']>(events: SupervisorEvent[], type: T) =>
  events.filter((event): event is SupervisorEventOf<T> => event.type === type);

describe('fromRunnable under the supervisor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('cancellation mid-stream stops the model stream: no further chunks are produced', async () => {
    const model = new CountingChatModel({ responses: ['abcdefghijklmnopqrstuvwxyz'], sleep: 10 });
    const supervisor = createSupervisor();
    const controller = new AbortController();
    const tokens: string[] = [];
    supervisor.on('step.progress', (event) => {
      const data = event.data as { type: string; text?: string };
      if (data.type !== 'token') return;
      tokens.push(data.text!);
      if (tokens.length === 3) controller.abort(); // the caller cancels right after the third token
    });
    const workflow = defineWorkflow({
      name: 'cancel',
      version: '1',
      steps: { write: { run: fromRunnable(model, { id: 'writer' }) } },
    });
    const run = supervisor.run(workflow, 'write', { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(1_000);
    const result = await run;
    const producedAtEnd = model.produced;
    await vi.advanceTimersByTimeAsync(10_000); // were the stream still being read, 23 more chunks would come out by now

    expect(result.status).toBe('cancelled');
    expect(result.steps.write).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(tokens).toEqual(['a', 'b', 'c']);
    expect(producedAtEnd).toBe(3);
    expect(model.produced).toBe(3);
  });

  it('retries a 429 after exactly the Retry-After delay', async () => {
    const model = fakeModel()
      .respond(providerError(429, { 'retry-after': '7' }))
      .respond(new AIMessage('second time lucky'));
    const run = runAgentOnce(fromRunnable(createAgent({ model, tools: [] }), { id: 'agent' }), 'go', {
      supervisor: { random: () => 0.5 },
      step: { retry: { maxAttempts: 3, jitter: 'none' } },
    });
    await vi.advanceTimersByTimeAsync(6_999);
    expect(model.callCount).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const { result, events } = await run;
    expect(model.callCount).toBe(2);
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ agent: 'second time lucky' });
    expect(ofType(events, 'step.retrying')).toEqual([
      expect.objectContaining({
        attempt: 1,
        delayMs: 7_000,
        classification: { kind: 'rate_limited', retryAfterMs: 7_000 },
      }),
    ]);
  });

  it('does not retry a fatal 400', async () => {
    const model = fakeModel().respond(providerError(400)).respond(new AIMessage('never reached'));
    const { result, events } = await runAgentOnce(fromRunnable(model, { id: 'model' }), 'go', {
      step: { retry: { maxAttempts: 5, jitter: 'none' } },
    });
    expect(model.callCount).toBe(1);
    expect(result.status).toBe('failed');
    expect(ofType(events, 'step.retrying')).toHaveLength(0);
    expect(ofType(events, 'step.failed')).toEqual([
      expect.objectContaining({ attempt: 1, classification: { kind: 'fatal' } }),
    ]);
  });

  it('reports usage as step.usage events, tagged with the agent', async () => {
    const model = fakeModel().respond(
      new AIMessage({
        content: 'ok',
        usage_metadata: { input_tokens: 9, output_tokens: 4, total_tokens: 13 },
        response_metadata: { model_name: 'fake-1' },
      }),
    );
    const { events } = await runAgentOnce(fromRunnable(model, { id: 'model', provider: 'openai' }), 'go');
    expect(ofType(events, 'step.usage')).toEqual([
      expect.objectContaining({
        agentId: 'model',
        provider: 'openai',
        usage: { inputTokens: 9, outputTokens: 4, totalTokens: 13, model: 'fake-1' },
      }),
    ]);
  });
});
