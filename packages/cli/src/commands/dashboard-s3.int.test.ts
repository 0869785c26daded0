import { randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, childEnv, makeProject, startBaton } from '../test-support/baton-process.js';

// Needs the local S3 server of scripts/s3-up.sh (its settings in BATON_S3_* variables; scripts/test.sh exports them).
const hasS3 = Boolean(process.env.BATON_S3_BUCKET);
if (!hasS3 && process.env.CI === 'true')
  throw new Error('BATON_S3_BUCKET is not set: CI must run scripts/s3-up.sh before these tests');

describe.skipIf(!hasS3)('baton dashboard over an S3 store (real binary, local S3 server)', () => {
  let project: string;
  beforeAll(() => {
    assertBuilt();
    project = makeProject();
    renameSync(join(project, 'baton.config.mjs'), join(project, 'base.config.mjs'));
    writeFileSync(
      join(project, 'baton.config.mjs'),
      `import base from './base.config.mjs';\nexport default { ...base, store: { type: 's3', prefix: 'cli-dashboard/${randomUUID()}/' } };\n`,
    );
  });

  it('polls the store: a run another process starts reaches /api/runs and the SSE stream; no credentials are served', async () => {
    const env = childEnv();
    const dashboard = startBaton(['dashboard', '--port', '0'], project, env);
    await dashboard.waitFor(/Baton dashboard on http:\/\/127\.0\.0\.1:\d+\//);
    const base = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(dashboard.stdout)![1]!;
    try {
      const infoText = await (await fetch(`${base}/api/info`)).text();
      expect(JSON.parse(infoText)).toMatchObject({ store: 's3 store', live: { mode: 'polling', intervalMs: 1000 } });
      const page = await (await fetch(`${base}/`)).text();
      for (const [name, value] of Object.entries(process.env)) {
        if (/SECRET|ACCESS_KEY/i.test(name) && value && value.length >= 8) {
          expect(infoText).not.toContain(value);
          expect(page).not.toContain(value);
        }
      }
      const events = await fetch(`${base}/api/events`);
      const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
      let stream = '';
      const until = async (needle: string) => {
        while (!stream.includes(needle)) {
          const chunk = await reader.read();
          if (chunk.done) break;
          stream += chunk.value;
        }
      };
      await until('event: hello');
      expect((await baton(['run', 'ok.yaml', '--run-id', 's3-live', '--quiet'], project, env)).code).toBe(0);
      await until('s3-live');
      expect(stream).toMatch(/event: runs\ndata: \{"runIds":\[[^\]]*"s3-live"/);
      await reader.cancel();
      const runs = (await (await fetch(`${base}/api/runs`)).json()) as { runs: { runId: string; status: string }[] };
      expect(runs.runs).toEqual([expect.objectContaining({ runId: 's3-live', status: 'succeeded' })]);
    } finally {
      dashboard.child.kill('SIGTERM');
      expect((await dashboard.done).code).toBe(0);
    }
  });
});
