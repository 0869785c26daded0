import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, makeProject } from '../test-support/baton-process.js';

describe('baton run (real binary, not a TTY)', () => {
  let project: string;
  beforeAll(() => {
    assertBuilt();
    project = makeProject();
  });

  it('runs a workflow file, logs plain progress lines on stderr and prints the outputs as JSON with --json', async () => {
    const result = await baton(['run', 'ok.yaml', '--input', '{"name":"Ada"}', '--run-id', 'ok-1', '--json'], project);
    expect(JSON.parse(result.stdout)).toMatchObject({
      runId: 'ok-1',
      status: 'succeeded',
      outputs: { greet: 'Hello, Ada', shout: 'HELLO, ADA!' },
      steps: { greet: { status: 'succeeded', attempts: 1 }, shout: { status: 'succeeded', attempts: 1 } },
    });
    expect(result.stderr).toMatch(/^\[\+\d+ms\] run ok-1 started: greeting@1\.0\.0, 2 steps$/m);
    expect(result.stderr).toMatch(/\] greet: running \(attempt 1 of 3\)$/m);
    expect(result.stderr).toMatch(/\] shout: done in \d+ms$/m);
    expect(result.stderr).not.toContain('\u001b[');
    expect(result.code).toBe(0);
  });

  it('takes the input from a file and prints a human summary by default', async () => {
    const result = await baton(['run', 'ok.yaml', '--input', '@input.json', '--quiet'], project, undefined);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('baton: --input @input.json: cannot read input.json');
    writeFileSync(join(project, 'input.yaml'), 'name: Grace\n');
    const summary = await baton(['run', 'ok.yaml', '--input', '@input.yaml', '--quiet'], project);
    expect(summary.stdout).toMatch(
      /^Run [0-9a-f-]{36} succeeded in \d+ms\nOutputs: \{\n {2}"shout": "HELLO, GRACE!"\n\}\n$/,
    );
    expect(summary.stderr).toBe('');
    expect(summary.code).toBe(0);
  });

  it('shows retries as "retrying n of m" with the error', async () => {
    const result = await baton(['run', 'flaky.yaml'], project);
    expect(result.stderr).toMatch(/\] wobble: retrying 2 of 3 in 20ms: transient glitch \[retryable\]$/m);
    expect(result.stderr).toMatch(/\] wobble: running \(attempt 2 of 3\)$/m);
    expect(result.code).toBe(0);
  });

  it('exits 1 when the run fails, naming the step and how to inspect and resume it', async () => {
    const result = await baton(['run', 'failing.yaml', '--run-id', 'fail-1'], project);
    expect(result.stdout).toContain('Run fail-1 failed in');
    expect(result.stdout).toContain(
      'Step: explode\nError: the tool exploded\nInspect: baton runs show fail-1\nResume:  baton resume fail-1',
    );
    expect(result.stderr).toMatch(/\] explode: failed after 2 attempt\(s\): the tool exploded \[retryable\]$/m);
    expect(result.code).toBe(1);
  });

  it('exits 4 when the run deadline passes', async () => {
    const result = await baton(['run', 'gated.yaml', '--timeout', '300ms', '--run-id', 'slow-1', '--json'], project);
    expect(JSON.parse(result.stdout)).toMatchObject({
      runId: 'slow-1',
      status: 'timed_out',
      failedStep: 'wait',
      error: { code: 'BATON_RUN_TIMEOUT' },
    });
    expect(result.code).toBe(4);
  });

  it('exits 2 with every problem listed when the workflow file is invalid, running nothing', async () => {
    const result = await baton(['run', 'invalid.yaml'], project);
    expect(result.stderr).toContain('baton: Workflow invalid.yaml is invalid:\n');
    expect(result.stderr).toContain("invalid.yaml:6:11 error steps[0].uses: no agent 'nope' in the registry");
    expect(result.stderr).toContain('invalid.yaml:15:12 error steps[3].needs: cycle: d -> c -> d (cycle)');
    expect(result.code).toBe(2);
  });

  it('exits 2 on bad flags and on a run id that already exists', async () => {
    expect((await baton(['run', 'ok.yaml', '--input', 'hello'], project)).stderr).toContain(
      '--input "hello" is not valid JSON',
    );
    expect((await baton(['run', 'ok.yaml', '--timeout', 'soon'], project)).code).toBe(2);
    expect((await baton(['run', 'ok.yaml', '--run-id', 'bad/id'], project)).stderr).toContain(
      'Invalid run id "bad/id"',
    );
    const again = await baton(['run', 'ok.yaml', '--run-id', 'ok-1'], project);
    expect(again.stderr).toContain("Run 'ok-1' already exists");
    expect(again.stderr).toContain('hint: to continue that run, use `baton resume <runId>`');
    expect(again.code).toBe(2);
  });

  it('records the run in the store under .baton/ of the project', () => {
    const log = readFileSync(join(project, '.baton', 'runs', 'ok-1.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(log.map((line) => (JSON.parse(line) as { type: string }).type)).toEqual([
      'run.started',
      'step',
      'step',
      'run.finished',
    ]);
  });

  it("finds the config from the workflow file's folder, and tells how to reach the store from elsewhere", async () => {
    const result = await baton(['run', join(project, 'failing.yaml'), '--run-id', 'far-1', '--quiet'], '/');
    expect(result.stdout).toContain(
      `Resume:  baton resume far-1 --config ${join(project, 'baton.config.mjs').slice(1)}`,
    );
    expect(result.code).toBe(1);
  });
});
