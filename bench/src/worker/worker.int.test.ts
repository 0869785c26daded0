import { describe, expect, it } from 'vitest';
import workerBench from '../worker.bench.js';

const url = process.env.BATON_PG_URL;
const HOW = 'start the server with `bash scripts/pg-up.sh`, then `set -a; . .pg/env; set +a`';

if (!url && process.env.CI === 'true') {
  describe('worker bench', () => {
    it('needs BATON_PG_URL under CI', () => {
      throw new Error(`BATON_PG_URL is not set: ${HOW}`);
    });
  });
}

// The bench itself checks that every run succeeded with both timestamps (a failed run throws); this runs
// it in quick mode with real worker child processes and checks the shape and plausibility of what it
// prints. No timing is asserted.
describe.skipIf(!url)(`worker bench, quick, against the real server (needs BATON_PG_URL: ${HOW})`, () => {
  it('measures runs/s, CPU per run and queue latency for each worker count and prints the estimate', async () => {
    const rows = await workerBench({ quick: true, full: false, args: ['--runs=8', '--workers=1,2', '--polling=0.5'] });
    const measured = rows.filter((row) => row.table.startsWith('worker throughput'));
    expect(measured.map((row) => row['worker processes'])).toEqual([1, 2]);
    expect(measured.map((row) => row['runs at once'])).toEqual([4, 8]);
    for (const row of measured) {
      expect(row['runs/s']).toBeGreaterThan(0);
      expect(row['worker CPU ms/run']).toBeGreaterThan(0);
      // The server runs on this machine (scripts/pg-up.sh), so /proc shows its processes.
      expect(row['Postgres CPU ms/run']).toBeGreaterThan(0);
      // Every run commits at least its 7 records and the job's fetch and completion.
      expect(row['transactions/run']).toBeGreaterThanOrEqual(7);
      expect(row['queue latency p50 ms (batch)']).toBeGreaterThanOrEqual(0);
      expect(row['queue latency ms (idle)']).toBeGreaterThanOrEqual(0);
    }
    const estimate = rows.filter((row) => row.table.startsWith('worker: estimated runs/s per additional core'));
    expect(estimate).toHaveLength(4);
    for (const row of estimate) expect(row['runs/s']).toBeGreaterThan(0);
  });
});
