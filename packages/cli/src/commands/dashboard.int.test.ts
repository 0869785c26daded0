import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, makeProject, startBaton } from '../test-support/baton-process.js';

interface StepJson {
  id: string;
  status: string;
  needs: string[];
  executions: { attempts: number; error?: { message: string; classification?: string } }[];
}

describe('baton dashboard (real binary)', () => {
  let project: string;
  beforeAll(() => {
    assertBuilt();
    project = makeProject();
  });

  it('refuses a non-loopback host without a token (exit 2)', async () => {
    const result = await baton(['dashboard', '--host', '0.0.0.0', '--port', '0'], project);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--host "0.0.0.0" is not a loopback address');
    expect(result.stderr).toContain('--token');
    const tooFast = await baton(['dashboard', '--port', '0', '--poll', '10'], project);
    expect(tooFast.code).toBe(2);
    expect(tooFast.stderr).toContain('pollIntervalMs = 10');
  });

  it('serves the store: the run page has the DAG from the recorded file, resume runs it again, SIGTERM stops', async () => {
    expect((await baton(['run', 'failing.yaml', '--run-id', 'f1', '--quiet'], project)).code).toBe(1);
    const dashboard = startBaton(['dashboard', '--port', '0'], project);
    await dashboard.waitFor(/Baton dashboard on http:\/\/127\.0\.0\.1:\d+\//);
    const base = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(dashboard.stdout)![1]!;
    const get = async (path: string) => (await fetch(`${base}${path}`)).json() as Promise<Record<string, unknown>>;

    const info = await get('/api/info');
    expect(info).toMatchObject({ store: 'fs store .baton', live: { mode: 'fs.watch' }, resume: true });
    const page = (await get('/api/runs')) as { runs: { runId: string; status: string }[] };
    expect(page.runs).toEqual([expect.objectContaining({ runId: 'f1', status: 'failed' })]);

    const view = (await get('/api/runs/f1')) as {
      graph: { fromDefinition: boolean; source: string };
      steps: StepJson[];
      chain: { ok: boolean };
      actions: { resume: { ok: boolean } };
      records: number;
    };
    expect(view.graph).toMatchObject({ fromDefinition: true, source: expect.stringContaining('failing.yaml') });
    expect(view.steps.map((step) => [step.id, step.status, step.needs])).toEqual([
      ['greet', 'succeeded', []],
      ['explode', 'failed', ['greet']],
    ]);
    expect(view.steps[1]!.executions[0]).toMatchObject({
      attempts: 2,
      error: { message: 'the tool exploded', classification: expect.any(String) },
    });
    expect(view.chain).toMatchObject({ ok: true });
    expect(view.actions.resume).toEqual({ ok: true });

    const html = await (await fetch(`${base}/`)).text();
    const session = /name="baton-session" content="([^"]+)"/.exec(html)![1]!;
    const resumed = await fetch(`${base}/api/runs/f1/resume`, {
      method: 'POST',
      headers: { origin: base, 'x-baton-session': session },
    });
    expect(resumed.status).toBe(202);
    // The resumed execution appends run.resumed, the step's record and run.finished.
    await expect
      .poll(async () => ((await get('/api/runs/f1')) as { records: number }).records, { timeout: 20_000 })
      .toBe(view.records + 3);

    dashboard.child.kill('SIGTERM');
    expect((await dashboard.done).code).toBe(0);
  });
});
