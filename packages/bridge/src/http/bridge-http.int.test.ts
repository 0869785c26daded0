import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CancelledError, classifyError } from '@baton/core';
import { createTestStepContext } from '@baton/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, PYTHON, eventually } from '../__fixtures__/harness.js';
import { BridgeHttpError } from '../errors/bridge-http-error.js';
import { BridgeRunError } from '../errors/bridge-run-error.js';
import { bundledPythonPath } from '../stdio/bundled-python-path.js';
import { buildWorkerEnv } from '../stdio/worker-env.js';
import { BridgeHttpClient } from './bridge-http-client.js';
import { createBridgeHttpAgent } from './create-bridge-http-agent.js';

let server: ChildProcess;
let url: string;
const TOKEN = 'test-token';

beforeAll(async () => {
  server = spawn(PYTHON, ['-m', 'baton_bridge.http', '--port', '0', '--token', TOKEN], {
    env: buildWorkerEnv({ pythonPath: [FIXTURES], bundledPythonPath: bundledPythonPath() }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: server.stdout! });
  url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`bridge server exited with ${code}`)));
  });
});

afterAll(() => {
  server.kill('SIGKILL');
});

const base = { target: '', runId: 'run-h', stepId: 'step-h' };

describe('HTTP bridge (python -m baton_bridge.http)', () => {
  it('reports health, with runner status', async () => {
    const health = await new BridgeHttpClient({ url, token: TOKEN }).health({ runners: ['echo', 'nope'] });
    expect(health).toMatchObject({
      ok: true,
      protocolVersion: 1,
      runners: { echo: { ok: true }, nope: { ok: false } },
    });
  });

  it('runs with ordered progress over SSE and returns output and usage', async () => {
    const client = new BridgeHttpClient({ url, token: TOKEN });
    const events: unknown[] = [];
    const result = await client.run(
      { ...base, runner: 'echo', input: { _events: 20, _usage: { total_tokens: 9 } } },
      { onProgress: (event) => events.push(event) },
    );
    expect(result).toEqual({ output: { _events: 20, _usage: { total_tokens: 9 } }, usage: { totalTokens: 9 } });
    expect(events).toEqual(Array.from({ length: 20 }, (_, index) => ({ type: 'echo.tick', index })));
  });

  it('resumes an event stream after a given sequence number, and reports status', async () => {
    const client = new BridgeHttpClient({ url, token: TOKEN });
    const { callId } = await client.startRun({ ...base, runner: 'echo', input: { _events: 5 } });
    const seen: number[] = [];
    for await (const event of client.events(callId, { after: 3 })) if (event.type === 'progress') seen.push(event.seq);
    expect(seen).toEqual([4, 5]);
    await expect(client.status(callId)).resolves.toMatchObject({ callId, status: 'succeeded', lastSeq: 5 });
  });

  it('cancels a run when the signal aborts; the server records it as cancelled', async () => {
    const client = new BridgeHttpClient({ url, token: TOKEN });
    const controller = new AbortController();
    let started = false;
    const running = client.run(
      { ...base, callId: 'http-cancel-1', runner: 'sleep', input: { seconds: 3600 } },
      {
        signal: controller.signal,
        onProgress: () => {
          started = true;
        },
      },
    );
    await eventually(() => started);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    await expect(client.status('http-cancel-1')).resolves.toMatchObject({ status: 'cancelled' });
    await expect(client.cancel('http-cancel-1')).resolves.toBe(false);
  });

  it('maps a Python exception to BridgeRunError and a wrong token to a fatal BridgeHttpError', async () => {
    const client = new BridgeHttpClient({ url, token: TOKEN });
    await expect(
      client.run({ ...base, runner: 'fail', input: { mode: 'value-error', message: 'nope' } }),
    ).rejects.toBeInstanceOf(BridgeRunError);
    const error = await new BridgeHttpClient({ url, token: 'wrong' }).health().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BridgeHttpError);
    expect(error).toMatchObject({ status: 401 });
    expect(classifyError(error).kind).toBe('fatal');
  });

  it('an unreachable server is a retryable BridgeHttpError', async () => {
    const error = await new BridgeHttpClient({ url: 'http://127.0.0.1:9' }).health().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BridgeHttpError);
    expect(classifyError(error).kind).toBe('retryable');
  });

  it('createBridgeHttpAgent is a Baton agent over the server', async () => {
    const agent = createBridgeHttpAgent({
      id: 'remote',
      url,
      token: TOKEN,
      runner: 'callable',
      target: 'bridge_fixtures:async_add',
    });
    const ctx = createTestStepContext();
    await expect(agent.invoke({ a: 1, b: 2 }, ctx)).resolves.toBe(3);
    expect(ctx.progress).toEqual([{ type: 'adding', a: 1, b: 2 }]);
    expect(ctx.usage).toEqual([
      { inputTokens: 2, outputTokens: 1, totalTokens: 3, model: 'fake-1', provider: 'openai' },
    ]);
    await expect(agent.health!(new AbortController().signal)).resolves.toMatchObject({ ok: true });
  });
});
