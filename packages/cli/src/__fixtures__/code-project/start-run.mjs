// Starts a run from code (not through the CLI), on the project's default store (.baton).
// argv: <workflow export name> <run id>
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { createSupervisor } from '@baton/core';
import * as workflows from './workflows.mjs';

const [name, runId] = process.argv.slice(2);
const store = new FsCheckpointStore({ dir: '.baton' });
const supervisor = createSupervisor({ store });
const result = await supervisor.run(workflows[name], { topic: 'owls' }, { runId });
await supervisor.close();
await store.close();
process.stdout.write(`finished ${result.status}\n`);
