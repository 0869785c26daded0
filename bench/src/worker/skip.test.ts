import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import workerBench from '../worker.bench.js';

describe('worker bench without a server', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.BATON_PG_URL;
    delete process.env.BATON_PG_URL;
  });
  afterEach(() => {
    if (saved !== undefined) process.env.BATON_PG_URL = saved;
  });

  it('returns one "skipped" row saying why, instead of failing', async () => {
    const rows = await workerBench({ quick: true, full: false, args: [] });
    expect(rows).toEqual([{ table: 'worker: skipped', reason: expect.stringContaining('BATON_PG_URL is unset') }]);
  });
});
