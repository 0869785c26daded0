import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDurable, openCountingPool } from '../durable/pg.js';
import { batonSaverPgRuns } from '../langgraph-saver/engines.js';
import { batonPgRuns, batonRows, dropSchemas, floorPgRuns, postgresSaverRuns, setUpSchemas } from './engines.js';

const url = process.env.BATON_PG_URL;
const HOW = 'start the server with `bash scripts/pg-up.sh`, then `set -a; . .pg/env; set +a`';

if (!url && process.env.CI === 'true') {
  describe('PostgreSQL bench engines', () => {
    it('needs BATON_PG_URL under CI', () => {
      throw new Error(`BATON_PG_URL is not set: ${HOW}`);
    });
  });
}

// No timings are asserted: the runners check every run's result themselves (a wrong value
// throws); these check the durability settings and the counts the tables print.
describe.skipIf(!url)(`PostgreSQL bench engines (needs BATON_PG_URL: ${HOW})`, () => {
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = openCountingPool(url!, 4);
    await setUpSchemas(pool);
  });
  afterAll(async () => {
    await dropSchemas(pool);
    await pool.end();
  });

  it('runs on a server whose commits are durable', async () => {
    expect(await checkDurable(pool)).toMatchObject({ fsync: 'on', synchronousCommit: 'on' });
  });

  it('Baton writes run.started, a record per step and run.finished; the floor inserts those same rows, one statement each', async () => {
    const baton = await batonPgRuns(pool, { kind: 'chain', length: 5 }, 1);
    expect(baton.records).toBe(7);
    // Each record is one statement, plus the run's lease acquire (its release rides on the run.finished append).
    expect(baton.commits).toBeGreaterThanOrEqual(7 + 1);
    const rows = await batonRows(pool);
    expect(rows.map((row) => Number(row.seq))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows[0]!.type).toBe('run.started');
    const floor = await floorPgRuns(pool, 3, rows);
    expect(floor).toMatchObject({ records: 21, commits: 21 });
    const { rows: copied } = await pool.query("SELECT body FROM bench_floor.records WHERE run_id = 'r2' ORDER BY seq");
    expect(copied.map((row: { body: string }) => row.body)).toEqual(rows.map((row) => row.body));
    const fan = await batonPgRuns(pool, { kind: 'fanout', width: 3 }, 20);
    expect(fan.records).toBe(20 * 7);
  });

  it('PostgresSaver and BatonSaver(PostgresCheckpointStore) checkpoint every superstep', async () => {
    for (const durability of ['sync', 'async'] as const) {
      const saver = await postgresSaverRuns(pool, { kind: 'chain', length: 5 }, 1, durability);
      expect(saver.records).toBeGreaterThanOrEqual(2 * 5);
      expect(saver.commits).toBeGreaterThanOrEqual(2 * 5);
    }
    const baton = await batonSaverPgRuns(pool, { kind: 'chain', length: 5 }, 1);
    expect(baton.records).toBe(2 * 5 + 4);
    const fan = await batonSaverPgRuns(pool, { kind: 'fanout', width: 3 }, 10);
    expect(fan.records).toBe(10 * 12);
  });
});
