import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../exit-codes.js';
import { assertBuilt, BIN, baton, makeProject, start } from '../test-support/baton-process.js';

const recordCount = async (project: string, runId: string) =>
  (JSON.parse((await baton(['runs', 'show', runId, '--json'], project)).stdout) as { records: unknown[] }).records
    .length;

describe('suspended runs: runs list --status suspended, runs show waits, resume --answer (real binary)', () => {
  let project: string;
  beforeAll(() => {
    assertBuilt();
    project = makeProject('code-project', { linkModules: true });
  });

  it('lists and shows a suspended run, refuses a bad or unknown answer with the run unchanged (exit 2), then succeeds with answers from JSON and a file', async () => {
    const started = await start(process.execPath, ['start-run.mjs', 'reviewWorkflow', 'rv-1'], project).done;
    expect(started.stdout).toContain('finished suspended');

    const listed = JSON.parse((await baton(['runs', 'list', '--status', 'suspended', '--json'], project)).stdout);
    expect(listed).toMatchObject([{ runId: 'rv-1', status: 'suspended', waiting: ['review', 'legal'] }]);
    const table = await baton(['runs', 'list'], project);
    // legal's deadline (1 ms) has passed: the list says so.
    expect(table.stdout).toMatch(/rv-1\s+review@1\.0\.0\s+suspended \(overdue\)/);

    const shown = await baton(['runs', 'show', 'rv-1'], project);
    expect(shown.stdout).toContain('Waiting for:');
    expect(shown.stdout).toContain('review (step review): Publish "draft about owls"?');
    expect(shown.stdout).toMatch(/legal \(step legal\): Legal OK\?\s+due .* \(overdue\)/);
    expect(shown.stdout).toContain('"required":["approved"]');
    const json = JSON.parse((await baton(['runs', 'show', 'rv-1', '--json'], project)).stdout);
    expect(json.waiting[0]).toMatchObject({ key: 'review', schema: { type: 'object' }, overdue: false });

    const before = await recordCount(project, 'rv-1');
    const invalid = await baton(['resume', 'rv-1', '--answer', 'review={"approved":"yes"}'], project);
    expect(invalid.code).toBe(ExitCode.usage);
    expect(invalid.stderr).toContain('approved');
    const unknown = await baton(['resume', 'rv-1', '--answer', 'nope=1'], project);
    expect(unknown.code).toBe(ExitCode.usage);
    expect(unknown.stderr).toContain("has no wait 'nope'");
    expect(await recordCount(project, 'rv-1')).toBe(before);

    // legal is overdue (onTimeout 'fail'), but an answer given now is used: answer it from a file.
    writeFileSync(join(project, 'legal.json'), '{"ok":true}');
    const done = await baton(
      [
        'resume',
        'rv-1',
        '--answer',
        'review={"approved":true}',
        '--answer',
        'legal=@legal.json',
        '--by',
        'ana',
        '--json',
      ],
      project,
    );
    expect(done.code).toBe(ExitCode.ok);
    expect(JSON.parse(done.stdout)).toMatchObject({ status: 'succeeded', outputs: { publish: 'published' } });
    const records = JSON.parse((await baton(['runs', 'show', 'rv-1', '--json'], project)).stdout).records as {
      type: string;
      by?: string;
    }[];
    expect(records.filter((record) => record.type === 'input.received').map((record) => record.by)).toEqual([
      'ana',
      'ana',
    ]);
  });

  it('exits 5 when a resumed run ends suspended again', async () => {
    const started = await start(process.execPath, ['start-run.mjs', 'reviewWorkflow', 'rv-3'], project).done;
    expect(started.stdout).toContain('finished suspended');
    const again = await baton(['resume', 'rv-3', '--answer', 'legal={"ok":true}'], project);
    expect(again.code).toBe(ExitCode.suspended);
    expect(again.stdout).toContain('Waiting: review (step review): Publish "draft about owls"?');
    expect(again.stdout).toContain("Answer:  baton resume rv-3 --answer review='<json>'");
  });

  it('asks for the answers on a terminal without --answer (@clack/prompts, driven through a pseudo-terminal)', async () => {
    const started = await start(process.execPath, ['start-run.mjs', 'reviewWorkflow', 'rv-pty'], project).done;
    expect(started.stdout).toContain('finished suspended');
    // `script` gives the CLI a pseudo-terminal: stdin and stdout are TTYs, so it prompts.
    const command = `stty cols 200; ${process.execPath} ${BIN} resume rv-pty --by pty`;
    const session = start('script', ['-qfec', command, '/dev/null'], project);
    await session.waitFor(/Publish "draft about owls"\? — approved/);
    session.child.stdin.write('y');
    await session.waitFor(/— note/);
    session.child.stdin.write('looks good\r');
    await session.waitFor(/Legal OK\? — ok/);
    session.child.stdin.write('y');
    const finished = await session.done;
    expect(finished.stdout).toContain('Run rv-pty succeeded');
    expect(finished.code).toBe(ExitCode.ok);
    const records = JSON.parse((await baton(['runs', 'show', 'rv-pty', '--json'], project)).stdout).records as {
      type: string;
      key?: string;
      value?: unknown;
      by?: string;
    }[];
    expect(records.filter((record) => record.type === 'input.received')).toMatchObject([
      { key: 'review', value: { approved: true, note: 'looks good' }, by: 'pty' },
      { key: 'legal', value: { ok: true }, by: 'pty' },
    ]);
  });
});
