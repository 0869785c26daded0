// The worker bench's workflow, shared by the worker child processes and the bench (one definition, one hash).
// root → m0, m1, m2 → join: five trivial steps. `root` returns the wall-clock time it started (ms since the epoch,
// the same clock in every process on this machine) so the bench can compute the queue latency (enqueue → first
// step); `join` returns the time it ended, so a batch's span does not depend on how often the client polls.
import { defineWorkflow } from '@baton/core';

/** The workflow's name, as the workers look it up. */
export const WORKFLOW_NAME = 'bench-worker-5-steps';

/** root → m0, m1, m2 → join; `root` outputs its start time, `join` its end time (ms since the epoch). */
export const benchWorkflow = defineWorkflow({
  name: WORKFLOW_NAME,
  version: '1.0.0',
  steps: {
    root: { run: async () => Date.now() },
    m0: { needs: ['root'], run: async () => 0 },
    m1: { needs: ['root'], run: async () => 1 },
    m2: { needs: ['root'], run: async () => 2 },
    join: { needs: ['m0', 'm1', 'm2'], run: async () => Date.now() },
  },
});
