// Child process of the crash test: runs (or resumes) a batch of runs with the
// fs store and is SIGKILLed by the test at a random moment.
// argv: <work dir> <comma-separated run ids>
import { join } from 'node:path';
import { createSupervisor } from '@baton/core';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { appendEntry, crashInput, makeCrashWorkflow, readEntries } from './crash-workflow.mjs';

const [work, runIdList] = process.argv.slice(2);
const files = { ledger: join(work, 'ledger'), executions: join(work, 'executions'), acks: join(work, 'acks'), warnings: join(work, 'warnings') };
const effects = new Set(readEntries(files.ledger));

const store = new FsCheckpointStore({ dir: join(work, 'store'), onWarning: (warning) => appendEntry(files.warnings, `${warning.code} ${warning.runId ?? ''}`) });
// Record every append the store acknowledged: the test checks that each one survived the kill.
const append = store.append.bind(store);
store.append = (record) => append(record).then(() => appendEntry(files.acks, `${record.runId} ${record.seq}`));

const workflow = makeCrashWorkflow({
  executed: (key) => appendEntry(files.executions, `${key} ${process.pid}`),
  effect: (key) => {
    // The side effect, made idempotent by its key: a ledger entry written at most once.
    if (effects.has(key)) return;
    appendEntry(files.ledger, key);
    effects.add(key);
  },
  delayMs: () => Math.floor(Math.random() * 4),
});
const supervisor = createSupervisor({ store });
process.stdout.write('ready\n');

const results = await Promise.all(runIdList.split(',').map(async (runId) => {
  const existing = await store.read(runId);
  const result = existing.length === 0 ? await supervisor.run(workflow, crashInput(runId), { runId }) : await supervisor.resume(workflow, runId);
  return `${runId}=${result.status}`;
}));
await store.close();
process.stdout.write(`done ${results.join(' ')}\n`);
