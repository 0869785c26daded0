import { createTestStepContext } from '@baton/core/testing';
import { describe, expect, it } from 'vitest';
import { runRequestFor } from './create-bridge-agent.js';

const ctx = (traceContext: Record<string, string>) => createTestStepContext({ stepId: 'crew', traceContext });
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('runRequestFor', () => {
  it("forwards the step's trace context (set by @baton/otel) to the Python side", async () => {
    const request = await runRequestFor({ q: 1 }, ctx({ traceparent: TRACEPARENT, tracestate: 'vendor=1' }), {
      runner: 'echo',
      target: '',
    });
    expect(request).toMatchObject({
      runner: 'echo',
      input: { q: 1 },
      runId: 'run-1',
      stepId: 'crew',
      idempotencyKey: 'run-1:crew',
      traceparent: TRACEPARENT,
      tracestate: 'vendor=1',
    });
  });

  it('lets an explicit traceparent option win, and ignores a malformed step trace context', async () => {
    const other = '00-11111111111111111111111111111111-2222222222222222-01';
    expect(
      await runRequestFor(null, ctx({ traceparent: TRACEPARENT }), { runner: 'echo', target: '', traceparent: other }),
    ).toMatchObject({ traceparent: other });
    expect(
      (await runRequestFor(null, ctx({ traceparent: 'garbage' }), { runner: 'echo', target: '' })).traceparent,
    ).toBeUndefined();
  });
});
