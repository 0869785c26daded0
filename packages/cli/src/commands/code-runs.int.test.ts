import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, makeProject, start } from '../test-support/baton-process.js';

const calls = (project: string) => readFileSync(join(project, 'calls.log'), 'utf8').trim().split('\n');
const startFromCode = (project: string, workflow: string, runId: string) =>
  start(process.execPath, ['start-run.mjs', workflow, runId], project);

interface ListedRun {
  runId: string;
  status: string;
  note?: string;
}

describe('runs started from code: interrupted status and baton resume through the config registry (real binary)', () => {
  let project: string;
  beforeAll(() => {
    assertBuilt();
    project = makeProject('code-project', { linkModules: true });
  });

  it('shows a SIGKILLed run as interrupted with its in-flight steps, then resumes it from the registered workflow', async () => {
    const running = startFromCode(project, 'researchWorkflow', 'code-1');
    await running.waitFor(/search started/);
    await running.waitFor(/fetch started/);

    // While its owner lives, the run is running (owned by that pid).
    const live = JSON.parse((await baton(['runs', 'show', 'code-1', '--json'], project)).stdout);
    expect(live).toMatchObject({ status: 'running', owner: { alive: true } });
    expect(live.owner.description).toContain(`pid ${running.child.pid} on `);

    running.child.kill('SIGKILL');
    expect((await running.done).signal).toBe('SIGKILL');

    const listed = await baton(['runs', 'list', '--json'], project);
    const runs = JSON.parse(listed.stdout) as ListedRun[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ runId: 'code-1', status: 'interrupted' });
    expect(runs[0]!.note).toMatch(new RegExp(`^owner gone: pid ${running.child.pid} on .*, process gone$`));
    const table = await baton(['runs', 'list'], project);
    expect(table.stdout).toMatch(/code-1\s+research@1\.0\.0\s+interrupted\s/);
    expect(
      JSON.parse((await baton(['runs', 'list', '--status', 'interrupted', '--json'], project)).stdout),
    ).toHaveLength(1);
    expect(JSON.parse((await baton(['runs', 'list', '--status', 'running', '--json'], project)).stdout)).toEqual([]);

    const shown = await baton(['runs', 'show', 'code-1'], project);
    expect(shown.stdout).toMatch(/Status: {3}interrupted \(owner gone: pid \d+ on .*, process gone\)/);
    expect(shown.stdout).toMatch(
      /Workflow: research@1\.0\.0 \(hash [0-9a-f]{12}\) {2}registered in .*baton\.config\.mjs/,
    );
    expect(shown.stdout).toContain('In flight: search, fetch  (ready and unfinished when it stopped)');
    expect(JSON.parse((await baton(['runs', 'show', 'code-1', '--json'], project)).stdout)).toMatchObject({
      status: 'interrupted',
      inFlight: ['search', 'fetch'],
    });

    writeFileSync(join(project, 'gate.open'), '');
    const resumed = await baton(['resume', 'code-1', '--json'], project);
    expect(resumed.stderr).not.toContain('does not record its workflow file');
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      runId: 'code-1',
      status: 'succeeded',
      outputs: { report: 'found: plan for owls / fetched: plan for owls' },
    });
    expect(resumed.code).toBe(0);
    // plan ran once: the resume restored it from the checkpoint; the in-flight steps ran again.
    const counts: Record<string, number> = {};
    for (const id of calls(project)) counts[id] = (counts[id] ?? 0) + 1;
    expect(counts).toEqual({ plan: 1, search: 2, fetch: 2, report: 1 });
    expect(JSON.parse((await baton(['runs', 'show', 'code-1', '--json'], project)).stdout).status).toBe('succeeded');
  });

  it('says which workflow is missing when a code-defined run is not registered (exit 2)', async () => {
    const running = startFromCode(project, 'unregisteredWorkflow', 'scratch-1');
    await running.waitFor(/wait started/);
    running.child.kill('SIGKILL');
    await running.done;
    const refused = await baton(['resume', 'scratch-1'], project);
    expect(refused.stderr).toMatch(
      /^baton: Run 'scratch-1' was started from code with workflow scratch@0\.1\.0 \(hash [0-9a-f]{64}\), which is not registered in .*baton\.config\.mjs and records no workflow file\n {2}registered: research@1\.0\.0 \(hash [0-9a-f]{12}\), review@1\.0\.0 \(hash [0-9a-f]{12}\)\n/,
    );
    expect(refused.stderr).toContain('workflows: [researchWorkflow]');
    expect(refused.code).toBe(2);
    const shown = await baton(['runs', 'show', 'scratch-1'], project);
    expect(shown.stdout).toContain('started from code and not registered in');
    expect(shown.stdout).toContain('In flight: unknown (no matching workflow definition to derive them from)');
    expect(shown.code).toBe(0);
  });
});
