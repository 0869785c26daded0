// A small workflow as a user of the published packages writes it: type-checked with `tsc --noEmit` (strict,
// nodenext) and run with node in a scratch project whose @baton/* packages come from the packed tarballs.
import { join } from 'node:path';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { createSupervisor, defineWorkflow, RetryableError } from '@baton/core';
import { runAgentOnce, scriptedAgent } from '@baton/core/testing';

// Fails once (retryable), then answers: the supervisor retries it.
const writer = scriptedAgent('writer', [{ error: new RetryableError('busy') }, { value: 'a report on tarballs' }]);

const workflow = defineWorkflow({
  name: 'scratch',
  version: '1.0.0',
  retry: { initialDelayMs: 1, jitter: 'none' },
  steps: {
    plan: { run: (input: unknown) => ({ topic: (input as { topic: string }).topic }) },
    write: { run: writer, needs: ['plan'] },
  },
});

const store = new FsCheckpointStore({ dir: join(process.cwd(), '.baton') });
const supervisor = createSupervisor({ store });
const result = await supervisor.run(workflow, { topic: 'tarballs' }, { runId: 'scratch-1' });
// Every step is checkpointed: resuming the finished run calls nothing again.
const resumed = await supervisor.resume(workflow, 'scratch-1');
await store.close();

// The runtime-free test helpers, under plain node (no vitest installed here).
const once = await runAgentOnce(scriptedAgent('echo', [{ value: 'echoed' }]), 'hi');

console.log(
  JSON.stringify({
    status: result.status,
    outputs: result.outputs,
    resumed: resumed.status,
    writerCalls: writer.calls.length,
    once: { status: once.result.status, outputs: once.result.outputs },
  }),
);
