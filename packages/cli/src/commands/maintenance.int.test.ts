import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, makeProject } from '../test-support/baton-process.js';

describe('baton runs / verify / prune (real binary)', () => {
  let project: string;
  beforeAll(async () => {
    assertBuilt();
    project = makeProject();
    // Three runs to inspect: one succeeded, one failed, one timed out.
    await baton(['run', 'ok.yaml', '--run-id', 'r-ok', '--quiet'], project);
    await baton(['run', 'failing.yaml', '--run-id', 'r-fail', '--quiet'], project);
    await baton(['run', 'gated.yaml', '--run-id', 'r-slow', '--timeout', '200ms', '--quiet'], project);
  });

  it('runs list shows every run, newest first, filtered by --status and --workflow', async () => {
    const all = await baton(['runs', 'list'], project);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+WORKFLOW\s+STATUS\s+STARTED\s+UPDATED\s+RECORDS$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 3))).toEqual([
      ['r-slow', 'gated@1.0.0', 'timed_out'],
      ['r-fail', 'failing@1.0.0', 'failed'],
      ['r-ok', 'greeting@1.0.0', 'succeeded'],
    ]);
    expect((await baton(['runs', 'list', '--status', 'failed'], project)).stdout).toMatch(/^RUN.*\nr-fail\s/);
    const json = JSON.parse((await baton(['runs', 'list', '--workflow', 'greeting', '--json'], project)).stdout) as {
      runId: string;
    }[];
    expect(json.map((run) => run.runId)).toEqual(['r-ok']);
    expect((await baton(['runs', 'list', '--status', 'weird'], project)).code).toBe(2);
  });

  it('runs show prints the step timeline with attempts, durations, errors and classifications', async () => {
    const result = await baton(['runs', 'show', 'r-fail'], project);
    expect(result.stdout).toContain('Run:      r-fail\nStatus:   failed\nWorkflow: failing@1.0.0 (hash ');
    expect(result.stdout).toMatch(/^\+\S+\s+step\s+greet\s+succeeded\s+1\s+\S+$/m);
    expect(result.stdout).toMatch(
      /^\+\S+\s+step\s+explode\s+failed\s+2\s+\S+\s+retryable\s+Error: the tool exploded$/m,
    );
    expect(result.code).toBe(0);
    const json = JSON.parse((await baton(['runs', 'show', 'r-slow', '--json'], project)).stdout) as {
      status: string;
      timeline: { stepId?: string; status?: string; classification?: string }[];
    };
    expect(json.status).toBe('timed_out');
    expect(json.timeline).toContainEqual(
      expect.objectContaining({ stepId: 'wait', status: 'timed_out', classification: 'timeout' }),
    );
  });

  it('runs show exits 2 for an unknown run', async () => {
    const result = await baton(['runs', 'show', 'nope'], project);
    expect(result.stderr).toContain("No checkpoint records for run 'nope' [BATON_RUN_NOT_FOUND]");
    expect(result.code).toBe(2);
  });

  it('verify checks every run, and exits 1 naming the run and the record when one was tampered with', async () => {
    const clean = await baton(['verify'], project);
    expect(clean.stdout).toContain('3 run(s) verified, all intact.');
    expect(clean.code).toBe(0);
    const file = join(project, '.baton', 'runs', 'r-ok.jsonl');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('HELLO, WORLD!', 'HELLO, MALLORY'));
    const tampered = await baton(['verify', 'r-ok'], project);
    expect(tampered.stdout).toMatch(/^CORRUPTED {2}r-ok: .*SHA-256 mismatch/m);
    expect(tampered.code).toBe(1);
    writeFileSync(file, original);
    expect((await baton(['verify', 'r-ok', '--json'], project)).stdout).toContain('"ok": true');
  });

  it('prune deletes old finished runs but keeps the last N; --dry-run deletes nothing', async () => {
    expect((await baton(['prune'], project)).code).toBe(2);
    const dry = await baton(['prune', '--older-than', '1ms', '--keep-last', '1', '--dry-run'], project);
    expect(dry.stdout).toBe('Would delete 2 run(s).\n  r-fail\n  r-ok\n');
    expect((await baton(['runs', 'list', '--json'], project)).stdout).toContain('r-ok');
    const nothingOld = await baton(['prune', '--older-than', '7d'], project);
    expect(nothingOld.stdout).toBe('Deleted 0 run(s).\n');
    const pruned = await baton(['prune', '--older-than', '1ms', '--keep-last', '1'], project);
    expect(pruned.stdout).toBe('Deleted 2 run(s).\n  r-fail\n  r-ok\n');
    const left = JSON.parse((await baton(['runs', 'list', '--json'], project)).stdout) as { runId: string }[];
    expect(left.map((run) => run.runId)).toEqual(['r-slow']);
  });
});
