// A workflow where one branch waits for a person while another is still working, used by
// wait-kill.int.test.ts. `node kill-wait.mjs <dir> <ledger>` starts run "k1" and, with
// BATON_SLOW=hang, never lets `slow` finish, so the test can SIGKILL this process mid-run.
import { appendFileSync } from 'node:fs';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { createSupervisor, workflow } from '@baton/core';
import { z } from 'zod';

/** The workflow; every step body appends its name to `ledger` when it starts. */
export function killWaitWorkflow(ledger) {
  const note = (line) => appendFileSync(ledger, `${line}\n`);
  return workflow({ name: 'kill-wait', version: '1' })
    .step('draft', () => {
      note('draft');
      return { title: 'Hello' };
    })
    .step('review', { needs: ['draft'], waitFor: { schema: z.object({ approved: z.boolean() }), prompt: 'Publish?' } })
    .step('slow', {
      needs: ['draft'],
      run: async () => {
        note('slow');
        if (process.env.BATON_SLOW === 'hang') await new Promise(() => setInterval(() => {}, 1_000));
        return 'checked';
      },
    })
    .step('publish', {
      needs: ['review', 'slow'],
      run: ({ review, slow }) => {
        note('publish');
        return `${review.approved ? 'published' : 'dropped'} (${slow})`;
      },
    })
    .build();
}

if (process.argv[2]) {
  const [dir, ledger] = process.argv.slice(2);
  const store = new FsCheckpointStore({ dir });
  await createSupervisor({ store }).run(killWaitWorkflow(ledger), undefined, { runId: 'k1' });
}
