import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pgStoreBench from '../pg-store.bench.js';

describe('pg-store without a server', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.BATON_PG_URL;
    delete process.env.BATON_PG_URL;
  });
  afterEach(() => {
    if (saved !== undefined) process.env.BATON_PG_URL = saved;
  });

  it('returns one "skipped" row saying why, instead of failing', async () => {
    const rows = await pgStoreBench({ quick: true, full: false, args: [] });
    expect(rows).toEqual([{ table: 'pg-store: skipped', reason: expect.stringContaining('BATON_PG_URL is unset') }]);
  });
});
