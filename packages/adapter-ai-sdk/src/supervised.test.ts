import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSupervisor,
  defineWorkflow,
  type Agent,
  type SupervisorEvent,
  type SupervisorEventOf,
} from '@baton/core';
import { runAgentOnce } from '@baton/core/testing';
import { ToolLoopAgent } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { fromAgent } from './from-agent.js';
import { fromModel } from './from-model.js';
import { apiCallError, scriptedModel, textTurn, usage, type LanguageModelV3StreamPart } from './test-models.js';

const ofType = <T extends SupervisorEvent['type']>(events: SupervisorEvent[], type: T) =>
  events.filter((event): event is SupervisorEventOf<T> => event.type === type);

/**
 * A mock model whose stream yields one text delta every 10 ms, up to 50, and
 * counts the deltas it produced. `honoursAbort` makes it behave like a
 * fetch-based provider (the body errors when the call's signal aborts);
 * without it, only the consumer can stop it.
 */
function slowModel(honoursAbort: boolean) {
  const state = { produced: 0, cancelled: false };
  const model = new MockLanguageModelV3({
    provider: 'mock.chat',
    doStream: async ({ abortSignal }) => {
      let sent = 0;
      const stream = new ReadableStream<LanguageModelV3StreamPart>(
        {
          start(controller) {
            controller.enqueue({ type: 'stream-start', warnings: [] });
            controller.enqueue({ type: 'text-start', id: 't' });
            if (honoursAbort)
              abortSignal?.addEventListener('abort', () => controller.error(abortSignal.reason), { once: true });
          },
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            if (honoursAbort && abortSignal?.aborted) return;
            if (sent === 50) {
              controller.enqueue({ type: 'text-end', id: 't' });
              controller.enqueue({
                type: 'finish',
                finishReason: { unified: 'stop', raw: 'stop' },
                usage: usage(1, 50),
              });
              controller.close();
              return;
            }
            sent++;
            state.produced++;
            controller.enqueue({ type: 'text-delta', id: 't', delta: `t${sent} ` });
          },
          cancel() {
            state.cancelled = true;
          },
        },
        { highWaterMark: 0 },
      );
      return { stream };
    },
  });
  return { model, state };
}

/** Runs `agent` as one step and aborts the run when the third token reaches a listener. */
async function runAndCancelAfterThreeTokens(agent: Agent) {
  const supervisor = createSupervisor();
  const controller = new AbortController();
  const tokens: string[] = [];
  supervisor.on('step.progress', (event) => {
    const data = event.data as { type: string; text?: string };
    if (data.type !== 'token') return;
    tokens.push(data.text!);
    if (tokens.length === 3) controller.abort();
  });
  const workflow = defineWorkflow({ name: 'cancel', version: '1', steps: { write: { run: agent } } });
  const run = supervisor.run(workflow, 'write a long text', { signal: controller.signal });
  await vi.advanceTimersByTimeAsync(1_000);
  return { result: await run, tokens };
}

describe('AI SDK agents under the supervisor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('cancellation mid-stream stops the model stream even for a provider that ignores the signal (fromModel)', async () => {
    const { model, state } = slowModel(false);
    const { result, tokens } = await runAndCancelAfterThreeTokens(fromModel(model, { id: 'writer' }));
    const producedAtEnd = state.produced;
    await vi.advanceTimersByTimeAsync(10_000); // an unstopped stream would produce the other 47 deltas by now

    expect(result.status).toBe('cancelled');
    expect(tokens).toEqual(['t1 ', 't2 ', 't3 ']);
    expect(state.cancelled).toBe(true);
    expect(model.doStreamCalls[0]!.abortSignal?.aborted).toBe(true);
    expect(state.produced).toBe(producedAtEnd);
    expect(state.produced).toBeLessThanOrEqual(4); // at most the delta already being produced when the abort landed
  });

  it('ai 7 itself stops reading a provider stream that ignores the signal: no middleware needed (fromAgent)', async () => {
    // With ai 6 this provider produced all 50 deltas after the abort; that is why cancelOnAbort() existed.
    const { model, state } = slowModel(false);
    const { result, tokens } = await runAndCancelAfterThreeTokens(
      fromAgent(new ToolLoopAgent({ model }), { id: 'writer' }),
    );
    const producedAtEnd = state.produced;
    await vi.advanceTimersByTimeAsync(10_000);

    expect(result.status).toBe('cancelled');
    expect(tokens).toHaveLength(3);
    expect(state.cancelled).toBe(true);
    expect(state.produced).toBe(producedAtEnd);
    expect(state.produced).toBeLessThanOrEqual(4);
  });

  it('cancellation mid-stream reaches a fetch-like provider through abortSignal (fromAgent)', async () => {
    const { model, state } = slowModel(true);
    const { result, tokens } = await runAndCancelAfterThreeTokens(
      fromAgent(new ToolLoopAgent({ model }), { id: 'writer' }),
    );
    const producedAtEnd = state.produced;
    await vi.advanceTimersByTimeAsync(10_000);

    expect(result.status).toBe('cancelled');
    expect(tokens).toHaveLength(3);
    expect(state.produced).toBe(producedAtEnd);
    expect(state.produced).toBeLessThanOrEqual(4);
  });

  it('retries a 429 after exactly the Retry-After delay', async () => {
    const model = scriptedModel([apiCallError(429, { 'retry-after': '4' }), textTurn(['ok'])]);
    const run = runAgentOnce(fromModel(model, { id: 'writer' }), 'go', {
      supervisor: { random: () => 0.5 },
      step: { retry: { maxAttempts: 3, jitter: 'none' } },
    });
    await vi.advanceTimersByTimeAsync(3_999);
    expect(model.doStreamCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const { result, events } = await run;
    expect(model.doStreamCalls).toHaveLength(2);
    expect(result).toMatchObject({ status: 'succeeded', outputs: { agent: 'ok' } });
    expect(ofType(events, 'step.retrying')).toEqual([
      expect.objectContaining({
        attempt: 1,
        delayMs: 4_000,
        classification: { kind: 'rate_limited', retryAfterMs: 4_000 },
      }),
    ]);
  });

  it('does not retry a fatal 400', async () => {
    const model = scriptedModel([apiCallError(400), textTurn(['never'])]);
    const { result, events } = await runAgentOnce(fromModel(model, { id: 'writer' }), 'go', {
      step: { retry: { maxAttempts: 5 } },
    });
    expect(model.doStreamCalls).toHaveLength(1);
    expect(result.status).toBe('failed');
    expect(ofType(events, 'step.retrying')).toHaveLength(0);
    expect(ofType(events, 'step.failed')).toEqual([
      expect.objectContaining({ attempt: 1, classification: { kind: 'fatal' } }),
    ]);
  });

  it('reports usage and the finish reason as events tagged with the agent', async () => {
    const { events } = await runAgentOnce(
      fromModel(scriptedModel([textTurn(['a', 'b'], usage(7, 2))]), { id: 'writer' }),
      'go',
    );
    const [reported] = ofType(events, 'step.usage');
    expect(reported).not.toHaveProperty('provider'); // `mock.chat` is not a well-known provider
    expect(ofType(events, 'step.usage')).toEqual([
      expect.objectContaining({
        agentId: 'writer',
        usage: { inputTokens: 7, outputTokens: 2, totalTokens: 9, model: 'mock-model-1' },
      }),
    ]);
    expect(ofType(events, 'step.progress').map((event) => event.data)).toContainEqual(
      expect.objectContaining({ type: 'model-finish', finishReason: 'stop' }),
    );
  });
});
