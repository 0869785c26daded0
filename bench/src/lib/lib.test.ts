import { describe, expect, it } from 'vitest';
import { DEFAULT_JSON, parseArgs, selectBenches } from './args.js';
import { median, measure } from './stats.js';
import { formatNumber, renderTable, renderTables } from './table.js';

const dirs = { cwd: '/home/me/repo', benchDir: '/home/me/repo/bench' };

describe('parseArgs', () => {
  it('ignores pnpm’s `--`, collects filters and passes unknown flags through', () => {
    const args = parseArgs(['--', 'core', '--quick', '--engines=floor', 'store'], dirs);
    expect(args).toMatchObject({
      filters: ['core', 'store'],
      quick: true,
      full: false,
      passThrough: ['--engines=floor'],
    });
    expect(args.json).toBeUndefined();
  });

  it('takes the next word as the JSON file only when it ends in .json', () => {
    expect(parseArgs(['--json', 'out/r.json'], dirs).json).toBe('/home/me/repo/out/r.json');
    expect(parseArgs(['--json=/tmp/x.json'], dirs).json).toBe('/tmp/x.json');
    const bare = parseArgs(['--json', 'core'], dirs);
    expect(bare.json).toBe(`/home/me/repo/bench/${DEFAULT_JSON}`);
    expect(bare.filters).toEqual(['core']);
  });
});

describe('selectBenches', () => {
  const names = ['bridge', 'core', 'fs-store', 's3-store'];
  it('selects all without filters and by substring otherwise', () => {
    expect(selectBenches(names, [])).toEqual(names);
    expect(selectBenches(names, ['core'])).toEqual(['core']);
    expect(selectBenches(names, ['store'])).toEqual(['fs-store', 's3-store']);
    expect(selectBenches(names, ['nothing'])).toEqual([]);
  });
});

describe('stats', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('warms up, then takes the requested samples with a fresh state before each', async () => {
    let ops = 0;
    let fresh = 0;
    const stats = await measure(async () => void ops++, {
      warmupMs: 0,
      minWarmupOps: 2,
      minSampleMs: 0,
      minSamples: 4,
      maxSamples: 4,
      maxTotalMs: 0,
      beforeSample: () => void fresh++,
    });
    expect(stats.samples).toBe(4);
    expect(stats.batch).toBe(1);
    expect(fresh).toBe(4);
    expect(ops).toBe(6);
    expect(stats.minNs).toBeLessThanOrEqual(stats.medianNs);
  });
});

describe('tables', () => {
  it('formats numbers to about three significant digits', () => {
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatNumber(123.456)).toBe('123');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.012345)).toBe('0.012');
    expect(formatNumber(0)).toBe('0');
  });

  it('renders a Markdown table with numbers right-aligned and nulls as -', () => {
    const text = renderTable('T', [
      { table: 'T', name: 'a', v: 1.5 },
      { table: 'T', name: 'bb', v: null },
    ]);
    expect(text).toBe(
      ['### T', '', '| name |    v |', '|------|-----:|', '| a    | 1.50 |', '| bb   |    - |'].join('\n'),
    );
  });

  it('groups rows by table in first-seen order', () => {
    const text = renderTables([
      { table: 'B', x: 1 },
      { table: 'A', y: 2 },
      { table: 'B', x: 3 },
    ]);
    expect(text.indexOf('### B')).toBeLessThan(text.indexOf('### A'));
    expect(text.match(/\| +[13] \|/g)).toHaveLength(2);
  });
});
