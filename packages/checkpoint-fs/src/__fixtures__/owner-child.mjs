// Child process of the owner test: acquires a run through the fs store, appends its start, prints "ready" and
// waits until the test SIGKILLs it, so the run's lock is left behind by a dead process. argv: <store dir> <run id>
import { CHECKPOINT_FORMAT_VERSION } from '@baton/core';
import { FsCheckpointStore } from '@baton/checkpoint-fs';

const [dir, runId] = process.argv.slice(2);
const store = new FsCheckpointStore({ dir });
await store.acquire(runId);
const workflow = { name: 'owner', version: '1', hash: 'd'.repeat(64) };
await store.append({ v: CHECKPOINT_FORMAT_VERSION, runId, workflow, type: 'run.started', seq: 0, at: 1, input: {} });
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
