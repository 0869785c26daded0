import { SpanStatusCode } from '@opentelemetry/api';
import {
  createSupervisor,
  defineWorkflow,
  FatalError,
  MemoryCheckpointStore,
  RetryableError,
  RunAlreadyExistsError,
  type Agent,
  type CheckpointStore,
} from '@baton/core';
import { describe, expect, it, vi } from 'vitest';
import {
  ATTR_BATON_LINK_TYPE,
  ATTR_BATON_RUN_ID,
  ATTR_BATON_RUN_RESUMED,
  ATTR_BATON_RUN_STATUS,
  ATTR_BATON_STEP_ATTEMPT,
  ATTR_BATON_STEP_ID,
  ATTR_BATON_STEP_STATUS,
  EVENT_STEP_RESTORED,
} from './attributes.js';
import { formatTraceparent } from './trace-context.js';
import { isChildOf, useOtel } from './test-harness.js';

const harness = useOtel();

describe('a resumed run', () => {
  it('links its span to the original run span through the trace context stored in the checkpoint', async () => {
    let failWrite = true;
    const workflow = defineWorkflow({
      name: 'resumable',
      version: '2.0.0',
      steps: {
        fetch: { run: () => 'data' },
        write: {
          needs: ['fetch'],
          run: (data: string) => {
            if (failWrite) throw new FatalError('disk full');
            return `wrote ${data}`;
          },
        },
      },
    });
    const store = new MemoryCheckpointStore();
    // The original process: it fails and goes away.
    const first = harness.instrument(createSupervisor({ store }));
    expect((await first.run(workflow, {}, { runId: 'run-resume' })).status).toBe('failed');
    const original = harness.otel.span('invoke_workflow resumable');
    const records = await store.read('run-resume');
    expect(records[0]).toMatchObject({
      type: 'run.started',
      meta: { '@baton/otel': { traceparent: formatTraceparent(original.spanContext()) } },
    });

    // A new process (new supervisor, new instrumentation) resumes from the same store.
    failWrite = false;
    const second = harness.instrument(createSupervisor({ store }));
    expect((await second.resume(workflow, 'run-resume')).status).toBe('succeeded');

    const resumed = harness.otel.span(
      'invoke_workflow resumable',
      (span) => span.attributes[ATTR_BATON_RUN_RESUMED] === true,
    );
    expect(resumed.spanContext().traceId).not.toBe(original.spanContext().traceId);
    // toMatchObject: SDK 3 also records `droppedAttributesCount` on each link, which Baton does not set.
    expect(resumed.links).toMatchObject([
      {
        context: expect.objectContaining({
          traceId: original.spanContext().traceId,
          spanId: original.spanContext().spanId,
          isRemote: true,
        }),
        attributes: { [ATTR_BATON_LINK_TYPE]: 'resumed_from' },
      },
    ]);
    expect(resumed.attributes).toMatchObject({
      [ATTR_BATON_RUN_ID]: 'run-resume',
      [ATTR_BATON_RUN_STATUS]: 'succeeded',
    });
    expect(resumed.status.code).toBe(SpanStatusCode.UNSET);
    expect(resumed.events.find((event) => event.name === EVENT_STEP_RESTORED)?.attributes).toEqual({
      [ATTR_BATON_STEP_ID]: 'fetch',
      [ATTR_BATON_STEP_STATUS]: 'succeeded',
    });

    // fetch ran once (restored on resume); write ran in both executions, each under its own run span.
    expect(harness.otel.spans().filter((span) => span.name === 'step fetch')).toHaveLength(1);
    const writes = harness.otel.spans().filter((span) => span.name === 'step write');
    expect(writes).toHaveLength(2);
    expect(isChildOf(writes[0]!, original)).toBe(true);
    expect(writes[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(isChildOf(writes[1]!, resumed)).toBe(true);

    // The resume record carries the new run span's context, so a second resume would link to this one.
    const after = await store.read('run-resume');
    expect(after.find((record) => record.type === 'run.resumed')).toMatchObject({
      meta: { '@baton/otel': { traceparent: formatTraceparent(resumed.spanContext()) } },
    });
  });

  it("links a resumed step's first attempt to its last attempt in the execution before (stored in the step record)", async () => {
    let failing = true;
    const agent: Agent = {
      id: 'writer',
      invoke: () => {
        if (failing) throw new RetryableError('disk busy');
        return 'ok';
      },
    };
    const workflow = defineWorkflow({
      name: 'relinked',
      version: '1',
      steps: { write: { run: agent, retry: { maxAttempts: 2, initialDelayMs: 10, jitter: 'none' } } },
    });
    const store = new MemoryCheckpointStore();
    const first = harness.instrument(createSupervisor({ store }));
    vi.useFakeTimers();
    const pending = first.run(workflow, {}, { runId: 'run-relink' });
    await vi.runAllTimersAsync();
    expect((await pending).status).toBe('failed');
    vi.useRealTimers();
    const attempt = (n: number, resumed: boolean) =>
      harness.otel.span(
        'invoke_agent writer',
        (span) =>
          span.attributes[ATTR_BATON_STEP_ATTEMPT] === n &&
          harness.otel
            .spans()
            .some((run) => run.attributes[ATTR_BATON_RUN_RESUMED] === resumed && isChildOf(span, run)),
      );
    const last = attempt(2, false);
    const records = await store.read('run-relink');
    expect(records.find((record) => record.type === 'step')).toMatchObject({
      status: 'failed',
      attempt: 2,
      meta: { '@baton/otel': { traceparent: formatTraceparent(last.spanContext()) } },
    });

    failing = false;
    const second = harness.instrument(createSupervisor({ store }));
    expect((await second.resume(workflow, 'run-relink')).status).toBe('succeeded');
    const again = attempt(1, true);
    // toMatchObject: SDK 3 adds droppedAttributesCount to every link, SDK 2 (compat-sdk2) does not.
    expect(again.links).toHaveLength(1);
    expect(again.links).toMatchObject([
      {
        context: expect.objectContaining({ traceId: last.spanContext().traceId, spanId: last.spanContext().spanId }),
        attributes: { [ATTR_BATON_LINK_TYPE]: 'previous_execution' },
      },
    ]);
  });

  it('ignores a malformed stored trace context instead of failing the resume', async () => {
    const store = new MemoryCheckpointStore();
    const workflow = defineWorkflow({
      name: 'tampered',
      version: '1',
      steps: {
        only: {
          run: () => {
            throw new FatalError('no');
          },
        },
      },
    });
    await createSupervisor({ store }).run(workflow, {}, { runId: 'run-tampered' });
    // Serve the log with a hand-edited start record, as a store shared across versions might.
    const tampered: CheckpointStore = {
      append: (record) => store.append(record),
      read: async (runId) =>
        (await store.read(runId)).map((record) =>
          record.type === 'run.started'
            ? { ...record, meta: { '@baton/otel': { traceparent: 'not-a-traceparent' } } }
            : record,
        ),
      listRuns: (options) => store.listRuns(options),
      deleteRun: (runId) => store.deleteRun(runId),
    };

    const supervisor = harness.instrument(createSupervisor({ store: tampered }));
    expect((await supervisor.resume(workflow, 'run-tampered')).status).toBe('failed');
    expect(harness.otel.span('invoke_workflow tampered').links).toEqual([]);
  });

  it('closes the span of a run whose start was refused as soon as it is refused', async () => {
    const store = new MemoryCheckpointStore();
    const workflow = defineWorkflow({
      name: 'twice',
      version: '1',
      steps: {
        only: {
          run: () => {
            throw new FatalError('no');
          },
        },
      },
    });
    const supervisor = harness.instrument(createSupervisor({ store }));
    await supervisor.run(workflow, {}, { runId: 'run-twice' });
    await expect(supervisor.run(workflow, {}, { runId: 'run-twice' })).rejects.toThrow(RunAlreadyExistsError);
    expect(harness.otel.spans().filter((span) => span.name === 'invoke_workflow twice')).toHaveLength(2);
    await supervisor.resume(workflow, 'run-twice');

    const spans = harness.otel.spans().filter((span) => span.name === 'invoke_workflow twice');
    expect(spans.map((span) => span.attributes[ATTR_BATON_RUN_STATUS])).toEqual(['failed', 'not_started', 'failed']);
    expect(spans[1]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'The run did not start' });
    // The resume links to the first execution (the refused one never wrote a record).
    expect(spans[2]!.links[0]?.context.spanId).toBe(spans[0]!.spanContext().spanId);
  });
});
