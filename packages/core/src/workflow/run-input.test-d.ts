// Type-level tests, compiled by `tsc` (the package's typecheck): a regression fails the build.
import { z } from 'zod';
import { createSupervisor } from '../supervisor/supervisor.js';
import { defineWorkflow } from './define-workflow.js';

const supervisor = createSupervisor();
const typed = defineWorkflow({
  name: 'w',
  version: '1',
  input: z.object({ topic: z.string() }),
  steps: { a: { run: (input: { topic: string }) => input.topic } },
});
void supervisor.run(typed, { topic: 'x' });
// @ts-expect-error the workflow declares its input: 42 is not { topic: string }
void supervisor.run(typed, 42);
// @ts-expect-error the input is required when declared
void supervisor.run(typed);
const untyped = defineWorkflow({ name: 'w', version: '1', steps: { a: { run: () => 1 } } });
void supervisor.run(untyped);
void supervisor.run(untyped, 42, { runId: 'r' });
