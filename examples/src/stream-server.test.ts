import type { AddressInfo } from 'node:net';
import { createSupervisor } from '@baton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createStreamServer } from './stream-server.js';

let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

async function listen(supervisor = createSupervisor(), onClosed?: () => void): Promise<string> {
  const server = createStreamServer(supervisor);
  // After the server's own 'close' handling (listeners run in order), plus a turn for the stream's cancel.
  if (onClosed) server.on('request', (_request, response) => response.on('close', () => setImmediate(onClosed)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The `event:` names and parsed `data:` of an SSE body. */
function messages(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const line = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))!
          .slice(name.length + 2);
      return { event: line('event'), data: JSON.parse(line('data')) };
    });
}

describe('stream server example', () => {
  it("streams a run's events over SSE to fetch and ends with the run", async () => {
    const base = await listen();
    const response = await fetch(`${base}/runs?topic=tides`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const runId = response.headers.get('x-run-id');
    const received = messages(await response.text()).filter((m) => m.event !== 'checkpoint.appended');
    expect(received.map((m) => m.event)).toEqual([
      'run.started',
      'step.started',
      'step.succeeded',
      'step.started',
      'step.progress',
      'step.progress',
      'step.progress',
      'step.succeeded',
      'step.started',
      'step.succeeded',
      'run.completed',
      'end',
    ]);
    expect(received.every((m) => m.data.runId === runId)).toBe(true);
    expect(received.find((m) => m.event === 'step.progress')!.data.data).toEqual({ searching: 'tides: what' });
    expect(received.at(-1)!.data).toEqual({ runId, status: 'succeeded', dropped: 0 });
  });

  it('streams an `error` message when the input is refused', async () => {
    const base = await listen();
    const received = messages(await (await fetch(`${base}/runs`)).text());
    expect(received).toEqual([
      {
        event: 'error',
        data: expect.objectContaining({ error: expect.objectContaining({ name: 'SchemaValidationError' }) }),
      },
    ]);
  });

  it('a client that disconnects does not cancel the run', async () => {
    const supervisor = createSupervisor();
    // Hold the `write` step until the server has seen the client go, so the run is still going when it disconnects.
    let disconnected: () => void = () => {};
    const gone = new Promise<void>((resolve) => (disconnected = resolve));
    supervisor.use({
      name: 'hold-write',
      wrapStep: async (input, next) => {
        if (input.stepId === 'write') await gone;
        return next();
      },
    });
    const completed = new Promise<string>((resolve) =>
      supervisor.on('run.completed', (event) => resolve(event.status)),
    );
    const base = await listen(supervisor, disconnected);
    const controller = new AbortController();
    const response = await fetch(`${base}/runs?topic=tides`, { signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: step.started')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    expect(await completed).toBe('succeeded');
  });

  it('POST /runs/<id>/cancel cancels a streaming run', async () => {
    const supervisor = createSupervisor();
    // `write` waits for its signal: only a cancel ends it.
    supervisor.use({
      name: 'hold-write',
      wrapStep: async (input, next) => {
        if (input.stepId !== 'write') return next();
        await new Promise((resolve) => input.ctx.signal.addEventListener('abort', resolve, { once: true }));
        throw input.ctx.signal.reason;
      },
    });
    const base = await listen(supervisor);
    const response = await fetch(`${base}/runs?topic=tides`);
    const runId = response.headers.get('x-run-id')!;
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('"stepId":"write"')) text += new TextDecoder().decode((await reader.read()).value);
    expect((await fetch(`${base}/runs/${runId}/cancel`, { method: 'POST' })).status).toBe(202);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(messages(text).at(-1)).toEqual({ event: 'end', data: { runId, status: 'cancelled', dropped: 0 } });
    expect((await fetch(`${base}/runs/${runId}/cancel`, { method: 'POST' })).status).toBe(404);
  });
});
