import { createSupervisor, defineWorkflow, type Agent } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES } from './attributes.js';
import { captureMessages, serialize, truncate, type ContentInfo } from './content.js';
import { compileOptions } from './options.js';
import { useOtel } from './test-harness.js';

const harness = useOtel();

const echo: Agent = {
  id: 'echo',
  invoke: (input: { text: string }) => ({ reply: `${input.text}!`, apiKey: 'sk-secret' }),
};
const workflow = defineWorkflow({ name: 'chat', version: '1', steps: { answer: { run: echo } } });

describe('content capture', () => {
  it('is off by default', async () => {
    const supervisor = harness.instrument(createSupervisor());
    await supervisor.run(workflow, { text: 'hello', password: 'hunter2' });
    for (const span of harness.otel.spans()) {
      expect(span.attributes[ATTR_GEN_AI_INPUT_MESSAGES]).toBeUndefined();
      expect(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES]).toBeUndefined();
    }
  });

  it('records the run input and step outputs, through redact, when enabled', async () => {
    const seen: ContentInfo[] = [];
    const supervisor = harness.instrument(createSupervisor(), {
      captureContent: true,
      redact: (value, info) => {
        seen.push(info);
        const { apiKey, password, ...rest } = value as Record<string, unknown>;
        return {
          ...rest,
          ...(apiKey ? { apiKey: '[redacted]' } : {}),
          ...(password ? { password: '[redacted]' } : {}),
        };
      },
    });
    await supervisor.run(workflow, { text: 'hello', password: 'hunter2' }, { runId: 'run-content' });

    const run = harness.otel.span('invoke_workflow chat');
    expect(JSON.parse(run.attributes[ATTR_GEN_AI_INPUT_MESSAGES] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: '{"text":"hello","password":"[redacted]"}' }] },
    ]);
    const step = harness.otel.span('invoke_agent echo');
    expect(JSON.parse(step.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string)).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: '{"reply":"hello!","apiKey":"[redacted]"}' }],
        finish_reason: 'stop',
      },
    ]);
    expect(JSON.stringify(harness.otel.spans().map((span) => span.attributes))).not.toMatch(/hunter2|sk-secret/);
    expect(JSON.parse(step.attributes[ATTR_GEN_AI_INPUT_MESSAGES] as string)[0].parts[0].content).toBe(
      '{"text":"hello","password":"[redacted]"}',
    );
    expect(seen).toEqual([
      { kind: 'input', runId: 'run-content', workflow: 'chat' },
      { kind: 'input', runId: 'run-content', workflow: 'chat', stepId: 'answer', attempt: 1, agentId: 'echo' },
      { kind: 'output', runId: 'run-content', workflow: 'chat', stepId: 'answer', attempt: 1, agentId: 'echo' },
    ]);
  });

  it('records nothing when redact throws or returns undefined, and the run still succeeds', async () => {
    let calls = 0;
    const supervisor = harness.instrument(createSupervisor(), {
      captureContent: true,
      redact: () => {
        calls++;
        if (calls === 1) throw new Error('redaction rule broke');
        return undefined;
      },
    });
    expect((await supervisor.run(workflow, { text: 'x' })).status).toBe('succeeded');
    expect(calls).toBe(3); // run input, step input, step output
    for (const span of harness.otel.spans()) {
      expect(span.attributes[ATTR_GEN_AI_INPUT_MESSAGES]).toBeUndefined();
      expect(span.attributes[ATTR_GEN_AI_OUTPUT_MESSAGES]).toBeUndefined();
    }
  });

  it('caps captured content at maxContentLength', async () => {
    const big: Agent = { id: 'big', invoke: () => 'x'.repeat(10_000) };
    const supervisor = harness.instrument(createSupervisor(), { captureContent: true, maxContentLength: 100 });
    await supervisor.run(defineWorkflow({ name: 'big', version: '1', steps: { out: { run: big } } }), 'in');
    const [message] = JSON.parse(
      harness.otel.span('invoke_agent big').attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] as string,
    ) as [{ parts: [{ content: string }] }];
    expect(message.parts[0].content).toHaveLength(100);
    expect(message.parts[0].content.endsWith('…[truncated]')).toBe(true);
  });
});

describe('captureMessages helpers', () => {
  const options = compileOptions({ captureContent: true, maxContentLength: 40 });
  const info: ContentInfo = { kind: 'output', runId: 'r', workflow: 'w' };

  it('serializes cycles, bigints and undefined without throwing', () => {
    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic.self = cyclic;
    expect(serialize(cyclic)).toBe('{"n":"1","self":"[Circular]"}');
    expect(serialize(undefined)).toBe('undefined');
    expect(serialize('plain')).toBe('plain');
  });

  it('never splits a surrogate pair when truncating', () => {
    const text = `${'a'.repeat(27)}😀${'b'.repeat(20)}`;
    const cut = truncate(text, 40);
    expect(cut).toBe(`${'a'.repeat(27)}…[truncated]`);
    expect(cut.length).toBeLessThanOrEqual(40);
  });

  it('wraps content in the GenAI message shape', () => {
    expect(captureMessages({ a: 1 }, info, options)).toBe(
      '[{"role":"assistant","parts":[{"type":"text","content":"{\\"a\\":1}"}],"finish_reason":"stop"}]',
    );
    expect(captureMessages('hi', { ...info, kind: 'input' }, options)).toBe(
      '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
    );
  });
});
