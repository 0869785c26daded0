import { SpanStatusCode } from '@opentelemetry/api';
import { createSupervisor, defineWorkflow, MemoryCheckpointStore, type StandardSchemaV1 } from '@baton/core';
import { describe, expect, it } from 'vitest';
import {
  ATTR_BATON_LINK_TYPE,
  ATTR_BATON_RUN_RESUMED,
  ATTR_BATON_RUN_STATUS,
  ATTR_BATON_STEP_STATUS,
  ATTR_BATON_WAIT_KEY,
} from './attributes.js';
import { useOtel } from './test-harness.js';

const harness = useOtel();

/** A Standard Schema of `{ ok: boolean }`, hand-written (no schema library needed here). */
const okSchema: StandardSchemaV1<{ ok: boolean }> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (value) =>
      typeof (value as { ok?: unknown })?.ok === 'boolean'
        ? { value: value as { ok: boolean } }
        : { issues: [{ message: 'expected { ok: boolean }', path: ['ok'] }] },
  },
};

describe('a suspended run', () => {
  it('ends its run span at the suspension (not an error); the resumed run links to it', async () => {
    const workflow = defineWorkflow({
      name: 'approval',
      version: '1.0.0',
      steps: {
        ask: { waitFor: { schema: okSchema, prompt: 'OK?' } },
        act: { needs: ['ask'], run: (answer: { ok: boolean }) => answer.ok },
      },
    });
    const store = new MemoryCheckpointStore();
    const first = harness.instrument(createSupervisor({ store }));
    expect((await first.run(workflow, undefined, { runId: 'suspend-1' })).status).toBe('suspended');
    const original = harness.otel.span('invoke_workflow approval');
    expect(original.ended).toBe(true);
    expect(original.status.code).toBe(SpanStatusCode.UNSET);
    expect(original.attributes[ATTR_BATON_RUN_STATUS]).toBe('suspended');
    const ask = harness.otel.span('step ask');
    expect(ask.ended).toBe(true);
    expect(ask.status.code).toBe(SpanStatusCode.UNSET);
    expect(ask.attributes).toMatchObject({ [ATTR_BATON_STEP_STATUS]: 'suspended', [ATTR_BATON_WAIT_KEY]: 'ask' });

    const second = harness.instrument(createSupervisor({ store }));
    const resumed = await second.resume(workflow, 'suspend-1', { inputs: { ask: { ok: true } } });
    expect(resumed.status).toBe('succeeded');
    const span = harness.otel.span('invoke_workflow approval', (s) => s.attributes[ATTR_BATON_RUN_RESUMED] === true);
    expect(span.links).toMatchObject([
      {
        context: expect.objectContaining({ spanId: original.spanContext().spanId }),
        attributes: { [ATTR_BATON_LINK_TYPE]: 'resumed_from' },
      },
    ]);
  });
});
