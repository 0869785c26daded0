import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, eventually, testPool } from '../__fixtures__/harness.js';
import { PROTOCOL_VERSION } from '../protocol/constants.js';

afterEach(closeAll);

const base = { target: '', runId: 'run-1', stepId: 'step-1', idempotencyKey: 'run-1:step-1' };

describe('BridgePool over stdio (stdlib worker)', () => {
  it('initializes with the protocol version, python info and runner status', async () => {
    const pool = testPool({ runners: ['echo', 'no_such_runner'] });
    await pool.warm();
    const info = pool.workers[0]!.info!;
    expect(info.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(info.python.version).toMatch(/^3\.\d+/);
    expect(info.runners.echo).toEqual({ ok: true, frameworks: {} });
    expect(info.runners.no_such_runner).toMatchObject({ ok: false, error: { code: -32001 } });
    expect(info.available).toEqual(expect.arrayContaining(['callable', 'crewai', 'autogen', 'echo', 'sleep', 'fail']));
  });

  it('returns the output and usage, with every progress event delivered in order before the result', async () => {
    const pool = testPool();
    const seen: string[] = [];
    const promise = pool
      .run(
        {
          ...base,
          runner: 'echo',
          input: { hello: 'world', _events: 50, _usage: { inputTokens: 3, outputTokens: 4 } },
        },
        { onProgress: (event) => seen.push(`event:${(event as { index: number }).index}`) },
      )
      .then((result) => {
        seen.push('result');
        return result;
      });
    const result = await promise;
    expect(result.output).toEqual({ hello: 'world', _events: 50, _usage: { inputTokens: 3, outputTokens: 4 } });
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7 });
    expect(seen).toEqual([...Array.from({ length: 50 }, (_, index) => `event:${index}`), 'result']);
  });

  it('runs a user module:function through the callable runner, sync and async, with the step ids and trace context', async () => {
    const pool = testPool();
    const events: unknown[] = [];
    const sum = await pool.run(
      { ...base, runner: 'callable', target: 'bridge_fixtures:async_add', input: { a: 2, b: 3 } },
      { onProgress: (event) => events.push(event) },
    );
    expect(sum).toEqual({
      output: 5,
      usage: { inputTokens: 2, outputTokens: 1, totalTokens: 3, model: 'fake-1', provider: 'openai' },
    });
    expect(events).toEqual([{ type: 'adding', a: 2, b: 3 }]);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const fields = await pool.run({
      ...base,
      runner: 'callable',
      target: 'bridge_fixtures:context_fields',
      input: null,
      traceparent,
      tracestate: 'k=v',
      options: { mode: 'x' },
    });
    expect(fields.output).toEqual({
      runId: 'run-1',
      stepId: 'step-1',
      idempotencyKey: 'run-1:step-1',
      traceparent,
      tracestate: 'k=v',
      options: { mode: 'x' },
    });
  });

  it('answers pings while a blocking run occupies a thread', async () => {
    const pool = testPool();
    const controller = new AbortController();
    let started = false;
    const running = pool.run(
      { ...base, runner: 'callable', target: 'bridge_fixtures:cooperative', input: null },
      {
        signal: controller.signal,
        onProgress: () => {
          started = true;
        },
      },
    );
    await eventually(() => started);
    await expect(pool.workers[0]!.ping()).resolves.toMatchObject({ ok: true, active: 1 });
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'BATON_CANCELLED' });
  });

  it('reuses worker processes across calls and spreads load up to the pool size', async () => {
    const pool = testPool({ size: 2 });
    const pids = await Promise.all(
      Array.from({ length: 6 }, () =>
        pool
          .run({ ...base, runner: 'callable', target: 'bridge_fixtures:pid', input: null })
          .then((result) => result.output),
      ),
    );
    expect(new Set(pids).size).toBe(2);
    expect(pool.stats()).toMatchObject({ started: 2, lost: 0, queued: 0 });
  });

  it('reports health with the python and framework versions', async () => {
    const pool = testPool({ runners: ['echo'] });
    const health = await pool.health(new AbortController().signal, 'echo');
    expect(health.ok).toBe(true);
    expect(health.detail).toMatch(/^pid \d+, python 3\./);
  });
});
