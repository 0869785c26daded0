// Type-level tests, compiled by `tsc` (the package's typecheck): a regression fails the build.
import { z } from 'zod';
import type { SupervisorEvent } from '../events/types.js';
import { workflow } from '../workflow/builder.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { RunHandle } from './run-handle.js';
import { createSupervisor } from './supervisor.js';

const supervisor = createSupervisor();
const built = workflow({ name: 'typed', version: '1', input: z.object({ topic: z.string() }) })
  .step('plan', (input) => ({ queries: [input.topic] }))
  .step('count', { needs: ['plan'], run: (plan) => plan.queries.length })
  .build();

const handle = supervisor.start(built, { topic: 'x' }, { bufferSize: 8 });
const outputs = handle.result.then((result) => result.outputs);
const queries: Promise<string[] | undefined> = outputs.then((o) => o.plan?.queries);
const count: Promise<number | undefined> = outputs.then((o) => o.count);
void queries;
void count;
const event: AsyncIterable<SupervisorEvent> = handle.events;
void event;
const dropped: number = handle.dropped;
void dropped;
// @ts-expect-error the workflow declares its input: 42 is not { topic: string }
supervisor.start(built, 42);
// @ts-expect-error the input is required when declared
supervisor.start(built);
// @ts-expect-error bufferSize is a number
supervisor.start(built, { topic: 'x' }, { bufferSize: '8' });

const resumed = supervisor.startResume(built, 'run-1', { allowChangedWorkflow: true, bufferSize: 4 });
const resumedCount: Promise<number | undefined> = resumed.result.then((r) => r.outputs.count);
void resumedCount;

const untyped = defineWorkflow({ name: 'w', version: '1', steps: { a: { run: () => 1 } } });
const anyHandle: RunHandle = supervisor.start(untyped, 42, { runId: 'r' });
void anyHandle;
