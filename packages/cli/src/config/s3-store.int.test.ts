import { randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, childEnv, makeProject, start } from '../test-support/baton-process.js';

// Needs the local S3 server of scripts/s3-up.sh (its settings in BATON_S3_* variables; scripts/test.sh exports them).
const hasS3 = Boolean(process.env.BATON_S3_BUCKET);
if (!hasS3 && process.env.CI === 'true')
  throw new Error('BATON_S3_BUCKET is not set: CI must run scripts/s3-up.sh before these tests');

describe.skipIf(!hasS3)(
  'store: { type: "s3" } (real binary against the local S3 server; skipped without BATON_S3_BUCKET outside CI)',
  () => {
    let project: string;
    beforeAll(() => {
      assertBuilt();
      project = makeProject();
      renameSync(join(project, 'baton.config.mjs'), join(project, 'base.config.mjs'));
      // Bucket and client settings come from the BATON_S3_* environment; the config only names a fresh prefix.
      writeFileSync(
        join(project, 'baton.config.mjs'),
        `import base from './base.config.mjs';\nexport default { ...base, store: { type: 's3', prefix: 'cli-test/${randomUUID()}/' } };\n`,
      );
    });

    it('runs, lists, shows, verifies and prunes runs in S3', async () => {
      const env = childEnv();
      expect((await baton(['run', 'ok.yaml', '--run-id', 's3-ok', '--quiet'], project, env)).code).toBe(0);
      expect((await baton(['run', 'failing.yaml', '--run-id', 's3-fail', '--quiet'], project, env)).code).toBe(1);
      const listed = JSON.parse((await baton(['runs', 'list', '--json'], project, env)).stdout) as {
        runId: string;
        status: string;
      }[];
      expect(listed.map((run) => [run.runId, run.status])).toEqual([
        ['s3-fail', 'failed'],
        ['s3-ok', 'succeeded'],
      ]);
      expect((await baton(['runs', 'show', 's3-fail'], project, env)).stdout).toMatch(/step\s+explode\s+failed\s+2/);
      const verified = await baton(['verify'], project, env);
      expect(verified.stdout).toContain('2 run(s) verified, all intact.');
      const pruned = await baton(['prune', '--keep-last', '1'], project, env);
      expect(pruned.stdout).toBe('Deleted 1 run(s).\n  s3-ok\n');
      expect((await baton(['resume', 's3-ok'], project, env)).code).toBe(2);
    });

    it('shows a run whose owner was SIGKILLed as interrupted once its lease expired, and resumes it', async () => {
      const env = childEnv();
      const code = makeProject('code-project', { linkModules: true });
      const prefix = `cli-test/${randomUUID()}/`;
      writeFileSync(
        join(code, 'baton.config.mjs'),
        `import { researchWorkflow } from './workflows.mjs';\nexport default { store: { type: 's3', prefix: '${prefix}' }, workflows: [researchWorkflow] };\n`,
      );
      const owner = start(process.execPath, ['start-run.mjs', 'researchWorkflow', 's3-int', 's3', prefix], code, env);
      await owner.waitFor(/fetch started/);
      const live = JSON.parse((await baton(['runs', 'list', '--json'], code, env)).stdout);
      expect(live).toMatchObject([{ runId: 's3-int', status: 'running', owner: { alive: true } }]);
      owner.child.kill('SIGKILL');
      await owner.done;
      // The lease (3 s, renewed every second until the kill) has run out by then: nothing here depends on how much sooner.
      await sleep(3_500);
      const listed = JSON.parse((await baton(['runs', 'list', '--json'], code, env)).stdout);
      expect(listed).toMatchObject([{ runId: 's3-int', status: 'interrupted' }]);
      expect(listed[0].note).toMatch(/^owner gone: lease of '.+' expired at .*, not renewed$/);
      const shown = await baton(['runs', 'show', 's3-int'], code, env);
      expect(shown.stdout).toContain('In flight: search, fetch  (ready and unfinished when it stopped)');
      writeFileSync(join(code, 'gate.open'), '');
      const resumed = await baton(['resume', 's3-int', '--json'], code, env);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'succeeded' });
      expect(resumed.code).toBe(0);
    });
  },
);
