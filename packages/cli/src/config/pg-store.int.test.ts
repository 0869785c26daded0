import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, childEnv, makeProject, start } from '../test-support/baton-process.js';

// Needs the PostgreSQL server of scripts/pg-up.sh: BATON_PG_URL (vitest.shared.ts fills it from the repo's
// .pg/env). Missing under CI is a failure, elsewhere a skip.
const url = process.env.BATON_PG_URL;
if (!url && process.env.CI === 'true')
  throw new Error('BATON_PG_URL is not set and there is no .pg/env: CI must run scripts/pg-up.sh before these tests');

async function adminQuery(sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const freshSchema = (): string => `cli_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

describe.skipIf(!url)(
  'store: { type: "pg" } (real binary against the local PostgreSQL; skipped without BATON_PG_URL or .pg/env outside CI)',
  () => {
    const password = url ? decodeURIComponent(new URL(url).password) : '';
    const schemas: string[] = [];
    const env = () => childEnv({ BATON_PG_URL: url! });
    // Checks for the password are `includes(...) === false`: a failing `not.toContain` would print it.
    /** A copy of the fixture project whose config adds `store` (as JS source) to the fixture's own config. */
    const projectWith = (store: string, fixture = 'project'): string => {
      const dir = makeProject(fixture, { linkModules: fixture === 'code-project' });
      renameSync(join(dir, 'baton.config.mjs'), join(dir, 'base.config.mjs'));
      writeFileSync(
        join(dir, 'baton.config.mjs'),
        `import base from './base.config.mjs';\nexport default { ...base, store: ${store} };\n`,
      );
      return dir;
    };
    beforeAll(() => {
      assertBuilt();
      expect(password.length).toBeGreaterThan(0);
    });
    afterAll(async () => {
      for (const schema of schemas) await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    });

    it('runs, lists, shows, verifies and prunes runs in PostgreSQL (connection string from BATON_PG_URL)', async () => {
      const schema = freshSchema();
      schemas.push(schema);
      const project = projectWith(`{ type: 'pg', schema: '${schema}' }`);
      expect((await baton(['run', 'ok.yaml', '--run-id', 'pg-ok', '--quiet'], project, env())).code).toBe(0);
      expect((await baton(['run', 'failing.yaml', '--run-id', 'pg-fail', '--quiet'], project, env())).code).toBe(1);
      // The CLI migrated the schema it was given and wrote there.
      expect(await adminQuery(`SELECT DISTINCT run_id FROM "${schema}".records ORDER BY run_id`)).toEqual([
        { run_id: 'pg-fail' },
        { run_id: 'pg-ok' },
      ]);
      const listed = JSON.parse((await baton(['runs', 'list', '--json'], project, env())).stdout) as {
        runId: string;
        status: string;
      }[];
      expect(listed.map((run) => [run.runId, run.status])).toEqual([
        ['pg-fail', 'failed'],
        ['pg-ok', 'succeeded'],
      ]);
      expect((await baton(['runs', 'list', '--status', 'failed', '--json'], project, env())).stdout).not.toContain(
        'pg-ok',
      );
      expect((await baton(['runs', 'show', 'pg-fail'], project, env())).stdout).toMatch(/step\s+explode\s+failed\s+2/);
      const verified = await baton(['verify'], project, env());
      expect(verified.stdout).toContain('2 run(s) verified, all intact.');
      expect(verified.code).toBe(0);
      const pruned = await baton(['prune', '--keep-last', '1'], project, env());
      expect(pruned.stdout).toBe('Deleted 1 run(s).\n  pg-ok\n');
      expect((await baton(['resume', 'pg-ok'], project, env())).code).toBe(2);
      expect((await baton(['resume', 'pg-fail', '--json'], project, env())).code).toBe(1);
    });

    it('never prints the password of a connection string written in the config', async () => {
      const schema = freshSchema();
      schemas.push(schema);
      const project = projectWith(`{ type: 'pg', schema: '${schema}', connectionString: ${JSON.stringify(url)} }`);
      const noEnv = childEnv();
      delete noEnv.BATON_PG_URL;
      // The input quotes the connection string, so the stored records hold the password.
      const input = JSON.stringify({ name: url });
      const ran = await baton(['run', 'ok.yaml', '--run-id', 'pg-secret', '--input', input, '--json'], project, noEnv);
      expect(ran.code).toBe(0);
      const shown = await baton(['runs', 'show', 'pg-secret', '--json'], project, noEnv);
      expect(shown.code).toBe(0);
      expect(shown.stdout.includes(password)).toBe(false);
      expect(JSON.parse(shown.stdout).input).toEqual({ name: url!.replace(`:${password}@`, ':***@') });
      expect((await baton(['runs', 'show', 'pg-secret'], project, noEnv)).stdout.includes(password)).toBe(false);
    });

    it('reports a wrong password with the server named and the password hidden', async () => {
      const wrong = `Wr0ng-${randomUUID()}`;
      const target = new URL(url!);
      target.password = wrong;
      const project = projectWith(`{ type: 'pg', schema: '${freshSchema()}', connectionString: '${target.href}' }`);
      const listed = await baton(['runs', 'list'], project, env());
      expect(listed.code).toBe(1);
      expect(listed.stderr).toContain(`${target.hostname}:${target.port}`);
      expect(listed.stderr).toMatch(/\[BATON_/);
      expect(listed.stderr.includes(wrong)).toBe(false);
      expect((listed.stdout + listed.stderr).includes(password)).toBe(false);
    });

    it('shows a run whose owner was SIGKILLed as interrupted once its lease expired, and resumes it', async () => {
      const schema = freshSchema();
      schemas.push(schema);
      const code = projectWith(`{ type: 'pg', schema: '${schema}' }`, 'code-project');
      const owner = start(process.execPath, ['start-run.mjs', 'researchWorkflow', 'pg-int', 'pg', schema], code, env());
      await owner.waitFor(/fetch started/);
      const live = JSON.parse((await baton(['runs', 'list', '--json'], code, env())).stdout);
      expect(live).toMatchObject([{ runId: 'pg-int', status: 'running', owner: { alive: true } }]);
      owner.child.kill('SIGKILL');
      await owner.done;
      // The dead owner's lease runs out on the server clock; expire it now rather than wait out its 3 s TTL.
      await adminQuery(
        `UPDATE "${schema}".leases SET expires_at = now() - interval '1 second' WHERE run_id = 'pg-int'`,
      );
      const listed = JSON.parse((await baton(['runs', 'list', '--json'], code, env())).stdout);
      expect(listed).toMatchObject([{ runId: 'pg-int', status: 'interrupted' }]);
      expect(listed[0].note).toMatch(/^owner gone: lease of '.+' expired at .*, not renewed$/);
      expect((await baton(['runs', 'list', '--status', 'interrupted', '--json'], code, env())).stdout).toContain(
        'pg-int',
      );
      const shown = await baton(['runs', 'show', 'pg-int'], code, env());
      expect(shown.stdout).toContain('In flight: search, fetch  (ready and unfinished when it stopped)');
      writeFileSync(join(code, 'gate.open'), '');
      const resumed = await baton(['resume', 'pg-int', '--json'], code, env());
      expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'succeeded' });
      expect(resumed.code).toBe(0);
      // plan finished before the kill: the resume restored it and did not run it again.
      expect(
        readFileSync(join(code, 'calls.log'), 'utf8')
          .split('\n')
          .filter((id) => id === 'plan'),
      ).toHaveLength(1);
    });
  },
);
