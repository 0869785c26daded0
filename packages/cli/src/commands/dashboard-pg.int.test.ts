import { randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, childEnv, makeProject, startBaton } from '../test-support/baton-process.js';

// Needs the PostgreSQL server of scripts/pg-up.sh: BATON_PG_URL (vitest.shared.ts fills it from the repo's
// .pg/env). Missing under CI is a failure, elsewhere a skip.
const url = process.env.BATON_PG_URL;
if (!url && process.env.CI === 'true')
  throw new Error('BATON_PG_URL is not set and there is no .pg/env: CI must run scripts/pg-up.sh before these tests');

describe.skipIf(!url)(
  'baton dashboard over a pg store (real binary, local PostgreSQL; skipped without BATON_PG_URL or .pg/env outside CI)',
  () => {
    const schema = `cli_dash_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    let project: string;
    beforeAll(() => {
      assertBuilt();
      project = makeProject();
      renameSync(join(project, 'baton.config.mjs'), join(project, 'base.config.mjs'));
      writeFileSync(
        join(project, 'baton.config.mjs'),
        `import base from './base.config.mjs';\nexport default { ...base, store: { type: 'pg', schema: '${schema}' } };\n`,
      );
    });
    afterAll(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });

    it('hears of a run another process starts through LISTEN/NOTIFY (re-list 60 s away); the password is not served', async () => {
      const env = childEnv({ BATON_PG_URL: url! });
      const password = decodeURIComponent(new URL(url!).password);
      const dashboard = startBaton(['dashboard', '--port', '0', '--poll', '60000'], project, env);
      await dashboard.waitFor(/Baton dashboard on http:\/\/127\.0\.0\.1:\d+\//);
      const base = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(dashboard.stdout)![1]!;
      try {
        const infoText = await (await fetch(`${base}/api/info`)).text();
        expect(JSON.parse(infoText)).toMatchObject({ live: { mode: 'store.watch', safetyPollMs: 60_000 } });
        // `includes(...) === false`: a failing `not.toContain` would print the password.
        expect(infoText.includes(password)).toBe(false);
        expect((await (await fetch(`${base}/`)).text()).includes(password)).toBe(false);
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
        expect((await baton(['run', 'ok.yaml', '--run-id', 'pg-live', '--quiet'], project, env)).code).toBe(0);
        await until('pg-live');
        expect(stream).toMatch(/event: runs\ndata: \{"runIds":\[[^\]]*"pg-live"/);
        await reader.cancel();
        await expect
          .poll(async () => (await (await fetch(`${base}/api/runs`)).json()) as { runs: unknown[] })
          .toMatchObject({ runs: [expect.objectContaining({ runId: 'pg-live', status: 'succeeded' })] });
      } finally {
        dashboard.child.kill('SIGTERM');
        expect((await dashboard.done).code).toBe(0);
      }
    });
  },
);
