import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, makeProject, startBaton } from '../test-support/baton-process.js';

const calls = (project: string) => readFileSync(join(project, 'calls.log'), 'utf8').trim().split('\n');

describe('Ctrl-C (SIGINT) during a run, then baton resume (real binary)', () => {
  let project: string;
  beforeAll(() => {
    assertBuilt();
    project = makeProject();
  });

  it('cancels cleanly on SIGINT (exit 3, checkpointed as cancelled) and resumes without re-running finished steps', async () => {
    const running = startBaton(['run', 'gated.yaml', '--run-id', 'sig-1'], project);
    await running.waitFor(/\] wait: running/);
    running.child.kill('SIGINT');
    const cancelled = await running.done;
    expect(cancelled.stderr).toContain('SIGINT: cancelling run sig-1, checkpointing it as cancelled');
    expect(cancelled.stdout).toContain('Run sig-1 cancelled in');
    expect(cancelled.code).toBe(3);

    const shown = JSON.parse((await baton(['runs', 'show', 'sig-1', '--json'], project)).stdout) as { status: string };
    expect(shown.status).toBe('cancelled');
    expect(calls(project)).toEqual(['prepare', 'wait']);

    writeFileSync(join(project, 'gate.open'), '');
    const resumed = await baton(['resume', 'sig-1', '--json'], project);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      runId: 'sig-1',
      status: 'succeeded',
      outputs: { finish: 'OPENED!' },
    });
    expect(resumed.stderr).toMatch(/\] run sig-1 resumed: gated@1\.0\.0/);
    expect(resumed.stderr).toMatch(/\] prepare: restored from checkpoint \(succeeded\)/);
    expect(resumed.code).toBe(0);
    // prepare ran once in all: the resume restored it from the checkpoint.
    expect(calls(project)).toEqual(['prepare', 'wait', 'wait', 'finish']);
  });

  it('resuming a run that succeeded returns its stored result and runs nothing', async () => {
    const before = calls(project).length;
    const again = await baton(['resume', 'sig-1', '--json'], project);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'succeeded', outputs: { finish: 'OPENED!' } });
    expect(calls(project)).toHaveLength(before);
    expect(again.code).toBe(0);
  });

  it('refuses to resume under a changed workflow (exit 2) unless --allow-changed', async () => {
    await baton(['run', 'failing.yaml', '--run-id', 'chg-1', '--quiet'], project);
    const file = join(project, 'failing.yaml');
    // The hash covers structure and policies (not which function a `uses:` key names), so change a policy too.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('uses: boom', 'uses: shout').replace('maxAttempts: 2', 'maxAttempts: 3'),
    );
    const refused = await baton(['resume', 'chg-1'], project);
    expect(refused.stderr).toContain("Run 'chg-1' was recorded with workflow hash");
    expect(refused.stderr).toContain('hint: pass --allow-changed to `baton resume`');
    expect(refused.code).toBe(2);
    const allowed = await baton(['resume', 'chg-1', '--allow-changed', '--json'], project);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ status: 'succeeded', outputs: { explode: 'HELLO, WORLD!' } });
    expect(allowed.code).toBe(0);
  });

  it('exits 2 for an unknown run, and takes --file when told', async () => {
    const unknown = await baton(['resume', 'ghost'], project);
    expect(unknown.stderr).toContain("No checkpoint records for run 'ghost'");
    expect(unknown.code).toBe(2);
    await baton(['run', 'gated.yaml', '--run-id', 'file-1', '--timeout', '100ms', '--quiet'], project);
    const resumed = await baton(['resume', 'file-1', '--file', 'gated.yaml', '--quiet'], project);
    expect(resumed.stdout).toContain('Run file-1 succeeded');
    expect(resumed.code).toBe(0);
  });
});
