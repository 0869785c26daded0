import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, context, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { createTestStepContext, runAgentOnce } from '@baton/core/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, PYTHON } from '../__fixtures__/harness.js';
import { BridgeFrameworkMissingError } from '../errors/bridge-framework-missing-error.js';
import { BridgePool } from '../stdio/bridge-pool.js';
import { createBridgeAgent, type BridgeAgentOptions } from './create-bridge-agent.js';

const agents: { close?(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close?.()));
});

function agent(options: Partial<BridgeAgentOptions> & Pick<BridgeAgentOptions, 'runner' | 'target'>) {
  const created = createBridgeAgent({
    id: 'py',
    python: PYTHON,
    pythonPath: [FIXTURES],
    killGraceMs: 1_000,
    ...options,
  });
  agents.push(created);
  return created;
}

/** Minimal AsyncLocalStorage context manager, so the test can make a span "active" without the OTel SDK. */
class AlsContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

describe('createBridgeAgent', () => {
  afterAll(() => context.disable());

  it('is a Baton agent: output, progress via ctx.emit, usage via ctx.reportUsage, step ids sent', async () => {
    const py = agent({ runner: 'callable', target: 'bridge_fixtures:async_add' });
    expect(py.remote).toBe(true); // another process: traces show CLIENT spans
    const ctx = createTestStepContext();
    await expect(py.invoke({ a: 40, b: 2 }, ctx)).resolves.toBe(42);
    expect(ctx.progress).toEqual([{ type: 'adding', a: 40, b: 2 }]);
    expect(ctx.usage).toEqual([
      { inputTokens: 2, outputTokens: 1, totalTokens: 3, model: 'fake-1', provider: 'openai' },
    ]);
    const fields = agent({
      runner: 'callable',
      target: 'bridge_fixtures:context_fields',
      runnerOptions: { verbose: true },
    });
    await expect(fields.invoke(null, createTestStepContext())).resolves.toMatchObject({
      runId: 'run-1',
      stepId: 'step-1',
      idempotencyKey: 'run-1:step-1',
      options: { verbose: true },
      traceparent: null,
    });
  });

  it('sends the traceparent of the active OpenTelemetry span, or the one given as an option', async () => {
    context.setGlobalContextManager(new AlsContextManager());
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    const fields = agent({ runner: 'callable', target: 'bridge_fixtures:context_fields' });
    const output = await context.with(trace.setSpanContext(context.active(), spanContext), () =>
      fields.invoke(null, createTestStepContext()),
    );
    expect(output).toMatchObject({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const explicit = agent({
      runner: 'callable',
      target: 'bridge_fixtures:context_fields',
      traceparent: () => '00-11111111111111111111111111111111-2222222222222222-00',
    });
    await expect(explicit.invoke(null, createTestStepContext())).resolves.toMatchObject({
      traceparent: '00-11111111111111111111111111111111-2222222222222222-00',
    });
  });

  it('inside a workflow: a worker crash is retried on a fresh worker and succeeds', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'baton-bridge-')), 'crashed');
    const py = agent({ runner: 'callable', target: 'bridge_fixtures:crash_once' });
    const { result, events } = await runAgentOnce(
      py,
      { marker },
      { step: { retry: { maxAttempts: 3, initialDelayMs: 1, jitter: 'none' } } },
    );
    expect(result.status).toBe('succeeded');
    expect(result.outputs.agent).toMatchObject({ recovered: true });
    const retrying = events.filter((event) => event.type === 'step.retrying');
    expect(retrying).toHaveLength(1);
    expect(JSON.stringify(retrying[0])).toMatch(/BATON_BRIDGE_CRASH|exited with code 7/);
  });

  it('inside a workflow: a missing framework fails the step at once (fatal, not retried)', async () => {
    const py = agent({ runner: 'callable', target: 'missing_framework_target:run' });
    const { result, events } = await runAgentOnce(py, null, { step: { retry: { maxAttempts: 3, initialDelayMs: 1 } } });
    expect(result.status).toBe('failed');
    expect(events.filter((event) => event.type === 'step.retrying')).toHaveLength(0);
    expect(JSON.stringify(result.error)).toMatch(/pip install baton_nonexistent_framework/);
  });

  it('health() pings a worker and reports a missing framework for its runner', async () => {
    const good = agent({ runner: 'echo', target: '' });
    await expect(good.health!(new AbortController().signal)).resolves.toMatchObject({ ok: true });
    const missing = agent({ runner: 'missing_framework_runner:Runner', target: '' });
    const health = await missing.health!(new AbortController().signal);
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/Unknown runner/);
  });

  it('shares a BridgePool across agents and leaves it open on close()', async () => {
    const pool = new BridgePool({ python: PYTHON, pythonPath: [FIXTURES] });
    try {
      const first = agent({ runner: 'echo', target: '', pool });
      const second = agent({ runner: 'callable', target: 'bridge_fixtures:pid', pool });
      await first.invoke('x', createTestStepContext());
      const pid = await second.invoke(null, createTestStepContext());
      await first.close?.();
      await expect(second.invoke(null, createTestStepContext())).resolves.toBe(pid);
    } finally {
      await pool.close();
    }
  });

  it('rejects bad options with a clear error', () => {
    expect(() => createBridgeAgent({ id: '', runner: 'echo', target: '' })).toThrow(/'id' must be a non-empty string/);
    expect(() => createBridgeAgent({ id: 'a', runner: 'echo', target: '', pingTimeoutMs: -1 })).toThrow(
      /pingTimeoutMs/,
    );
    expect(BridgeFrameworkMissingError).toBeDefined();
  });
});
