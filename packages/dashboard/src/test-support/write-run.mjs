// Another process writing a run to the store, for the live-update browser test. argv: <store dir> <run id>
import { FsCheckpointStore } from '@baton/checkpoint-fs';

const [dir, runId] = process.argv.slice(2);
const store = new FsCheckpointStore({ dir, durability: 'none' });
const workflow = { name: 'elsewhere', version: '1.0.0', hash: 'hash-elsewhere' };
const at = Date.now();
await store.append({ v: 1, runId, seq: 0, at, workflow, type: 'run.started', input: { from: 'another process' } });
await store.append({ v: 1, runId, seq: 1, at: at + 1, workflow, type: 'run.finished', status: 'succeeded' });
await store.close();
