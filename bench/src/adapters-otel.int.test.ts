import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL('..', import.meta.url));
const runner = join(benchDir, 'dist', 'run.js');

interface Written {
  results: Array<{ name: string; ok: boolean; rows: Array<Record<string, unknown>> }>;
}

// The adapter and otel benches end to end (quick): their checks pass (same answers on both sides,
// tokens really streamed) and every pair produced a row. No timing is asserted.
describe('adapters and otel benches', () => {
  beforeAll(() => {
    if (!existsSync(runner)) throw new Error(`${runner} is missing: build @baton/bench first`);
  });

  it('run quickly and report a target column for every comparison', async () => {
    const json = join(await mkdtemp(join(tmpdir(), 'baton-bench-')), 'r.json');
    await run(process.execPath, [runner, 'adapters', 'otel', '--quick', '--json', json], { cwd: benchDir });
    const written = JSON.parse(await readFile(json, 'utf8')) as Written;
    expect(written.results.map((result) => [result.name, result.ok])).toEqual([
      ['adapters', true],
      ['otel', true],
    ]);

    const adapterRows = written.results[0]!.rows.filter((row) => 'target ≤ 20 µs' in row);
    expect(adapterRows).toHaveLength(13);
    for (const row of adapterRows) expect(['met', 'MISSED']).toContain(row['target ≤ 20 µs']);

    const otelTargets = written.results[1]!.rows.map((row) => row['target ≤ 2×']).filter(
      (cell) => cell === 'met' || cell === 'MISSED',
    );
    expect(otelTargets).toHaveLength(3);
    // Issue 21: instrument() against the one-span floor, once, beside a floor row of its own.
    const otelRows = written.results[1]!.rows;
    const floorTargets = otelRows
      .map((row) => row['floor target ≤ 1.5×'])
      .filter((cell) => cell === 'met' || cell === 'MISSED');
    expect(floorTargets).toHaveLength(1);
    expect(otelRows.some((row) => String(row.configuration).startsWith('floor:') && row['× floor'] === 1)).toBe(true);
  });
});
