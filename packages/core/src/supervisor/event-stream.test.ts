import { describe, expect, it, vi } from 'vitest';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { StepContext } from '../workflow/types.js';
import { SSE_HEADERS, toEventStream, toSSEResponse } from './event-stream.js';
import { createSupervisor } from './supervisor.js';

interface Message {
  id: string;
  event: string;
  data: unknown;
}

/** Parses an SSE body into its messages (one `data:` line each, as `toEventStream` writes them). */
function parseSSE(text: string): Message[] {
  return text
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map((block) => {
      const fields = Object.fromEntries(
        block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      return { id: fields.id!, event: fields.event!, data: JSON.parse(fields.data!) };
    });
}

const untilAborted = (_input: unknown, ctx: StepContext) =>
  new Promise((_resolve, reject) =>
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }),
  );

const chatty = defineWorkflow({
  name: 'chatty',
  version: '1',
  steps: {
    talk: {
      run: (_input: unknown, ctx: StepContext) => {
        const cyclic: Record<string, unknown> = { name: 'loop' };
        cyclic.self = cyclic;
        const shared = { n: 1 };
        ctx.emit({
          big: 12345678901234567890n,
          error: new TypeError('bad thing'),
          cyclic,
          twice: [shared, shared],
          fn: () => 1,
          when: new Date(0),
        });
        return 'ok';
      },
    },
  },
});

describe('toSSEResponse', () => {
  it("streams the run's events as SSE messages and ends with an `end` message", async () => {
    const handle = createSupervisor().start(chatty, undefined, { runId: 'sse-1' });
    const response = toSSEResponse(handle, { headers: { 'x-run-id': handle.runId } });
    expect(response.headers.get('content-type')).toBe(SSE_HEADERS['content-type']);
    expect(response.headers.get('x-run-id')).toBe('sse-1');
    const messages = parseSSE(await response.text());
    expect(messages.map((message) => message.event).filter((event) => event !== 'checkpoint.appended')).toEqual([
      'run.started',
      'step.started',
      'step.progress',
      'step.succeeded',
      'run.completed',
      'end',
    ]);
    expect(messages.map((message) => message.id)).toEqual(messages.map((_, i) => String(i + 1)));
    expect(messages.at(-1)!.data).toEqual({ runId: 'sse-1', status: 'succeeded', dropped: 0 });
    const started = messages.find((message) => message.event === 'run.started')!;
    expect(started.data).toMatchObject({ type: 'run.started', runId: 'sse-1', workflow: { name: 'chatty' } });
  });

  it('writes values JSON cannot hold safely, and leaves stacks out', async () => {
    const handle = createSupervisor().start(chatty);
    const messages = parseSSE(await new Response(toEventStream(handle)).text());
    const progress = messages.find((message) => message.event === 'step.progress')!.data as { data: unknown };
    expect(progress.data).toEqual({
      big: '12345678901234567890',
      error: { name: 'TypeError', message: 'bad thing' },
      cyclic: { name: 'loop', self: '[Circular]' },
      twice: [{ n: 1 }, { n: 1 }],
      when: '1970-01-01T00:00:00.000Z',
    });
  });

  it('keeps error stacks when asked, and sends `error` when the run cannot start', async () => {
    const failing = defineWorkflow({
      name: 'failing',
      version: '1',
      retry: { maxAttempts: 1 },
      steps: { a: { run: () => Promise.reject(new Error('boom')) } },
    });
    const supervisor = createSupervisor();
    const failed = parseSSE(
      await new Response(toEventStream(supervisor.start(failing), { includeStacks: true })).text(),
    );
    const stepFailed = failed.find((message) => message.event === 'step.failed')!.data as { error: { stack?: string } };
    expect(stepFailed.error.stack).toContain('boom');
    expect(failed.at(-1)).toMatchObject({ event: 'end', data: { status: 'failed' } });

    const invalid = supervisor.start(failing, undefined, { runId: 'bad id!' });
    const messages = parseSSE(await toSSEResponse(invalid).text());
    expect(messages).toEqual([
      {
        id: '1',
        event: 'error',
        data: {
          runId: 'bad id!',
          dropped: 0,
          error: expect.objectContaining({ code: 'BATON_INVALID_RUN_ID', name: 'InvalidRunIdError' }),
        },
      },
    ]);
    expect((messages[0]!.data as { error: object }).error).not.toHaveProperty('stack');
  });

  it('a client disconnect ends the subscription but not the run', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = defineWorkflow({ name: 'slow', version: '1', steps: { a: { run: () => gate.then(() => 'A') } } });
    const supervisor = createSupervisor();
    const handle = supervisor.start(slow);
    const cancel = vi.spyOn(handle, 'cancel');
    const reader = toEventStream(handle).getReader();
    await reader.read();
    await reader.cancel('tab closed');
    expect(await handle.events.next()).toEqual({ done: true, value: undefined });
    release();
    expect((await handle.result).status).toBe('succeeded');
    expect(cancel).not.toHaveBeenCalled();
  });

  it('a client disconnect cancels the run with cancelRunOnDisconnect', async () => {
    const stuck = defineWorkflow({ name: 'stuck', version: '1', steps: { wait: { run: untilAborted } } });
    const handle = createSupervisor().start(stuck);
    const reader = toEventStream(handle, { cancelRunOnDisconnect: true }).getReader();
    for (;;) {
      const { value } = await reader.read();
      if (new TextDecoder().decode(value).includes('event: step.started')) break;
    }
    await reader.cancel('tab closed');
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
  });
});

describe('toEventStream', () => {
  it('a cancel while a read waits for the next event ends quietly', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = defineWorkflow({ name: 'slow', version: '1', steps: { a: { run: () => gate.then(() => 'A') } } });
    const handle = createSupervisor().start(slow);
    const reader = toEventStream(handle).getReader();
    for (;;) {
      const { value } = await reader.read();
      if (new TextDecoder().decode(value).includes('event: step.started')) break;
    }
    const pending = reader.read(); // waits: the step has not finished
    await reader.cancel('gone');
    expect(await pending).toEqual({ done: true, value: undefined });
    release();
    expect((await handle.result).status).toBe('succeeded');
  });
});
