// Child process of the litter test: writes a large finished run (many failed attempts, so compact has work),
// prints "ready", then compacts it with fsync durability, and is SIGKILLed by the test while compact's
// temporary copy exists. argv: <store dir> <run id>
import { CHECKPOINT_FORMAT_VERSION } from '@baton/core';
import { FsCheckpointStore } from '@baton/checkpoint-fs';

const [dir, runId] = process.argv.slice(2);
const workflow = { name: 'litter', version: '1', hash: 'c'.repeat(64) };
const base = { v: CHECKPOINT_FORMAT_VERSION, runId, workflow };
const ATTEMPTS = 150;
const output = 'x'.repeat(200_000);

const writer = new FsCheckpointStore({ dir, durability: 'none' });
await writer.append({ ...base, type: 'run.started', seq: 0, at: 1, input: {} });
for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
  const status = attempt === ATTEMPTS ? 'succeeded' : 'failed';
  await writer.append({ ...base, type: 'step', seq: attempt, at: 1 + attempt, stepId: 'big', status, attempt, durationMs: 1, output: { attempt, output } });
}
await writer.append({ ...base, type: 'run.finished', seq: ATTEMPTS + 1, at: 2 + ATTEMPTS, status: 'succeeded' });
await writer.close();

const compactor = new FsCheckpointStore({ dir, durability: 'fsync' });
process.stdout.write('ready\n');
await compactor.compact(runId);
await compactor.close();
process.stdout.write('done\n');
