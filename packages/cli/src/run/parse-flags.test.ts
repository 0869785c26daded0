import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { parseCountFlag, parseDurationFlag, parseInputFlag } from './parse-flags.js';

describe('parseInputFlag', () => {
  it('parses JSON text, and JSON or YAML from @file', async () => {
    expect(await parseInputFlag('{"topic":"x"}')).toEqual({ topic: 'x' });
    expect(await parseInputFlag(undefined)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'baton-input-'));
    writeFileSync(join(dir, 'in.yaml'), 'topic: y\ncount: 2\n');
    expect(await parseInputFlag(`@${join(dir, 'in.yaml')}`)).toEqual({ topic: 'y', count: 2 });
  });

  it('names the flag and the value when it is not JSON', async () => {
    await expect(parseInputFlag('hello')).rejects.toThrow(
      new CliError(`--input "hello" is not valid JSON (quote a string as '"text"', or use @file)`),
    );
    await expect(parseInputFlag('@/no/such/file.json')).rejects.toThrow(
      /--input @\/no\/such\/file.json: cannot read \/no\/such\/file.json/,
    );
  });
});

describe('parseDurationFlag / parseCountFlag', () => {
  it('refuses a duration without a unit (--timeout 5 is not 5 ms) with a hint', () => {
    expect(() => parseDurationFlag('--timeout', '5')).toThrow(
      '--timeout "5": a duration needs a unit: write "5s" (seconds) or "5ms" (milliseconds); units are ms, s, m, h, d',
    );
    expect(() => parseDurationFlag('--older-than', '7')).toThrow(CliError);
  });

  it('accepts durations and whole numbers, rejects the rest with the flag named', () => {
    expect(parseDurationFlag('--timeout', '30s')).toBe(30_000);
    expect(parseDurationFlag('--older-than', '7d')).toBe(7 * 86_400_000);
    expect(() => parseDurationFlag('--timeout', 'soon')).toThrow(
      '--timeout "soon": must be a number and a unit, e.g. "500ms", "30s", "5m", "2h", "7d"',
    );
    expect(() => parseDurationFlag('--timeout', '0s')).toThrow('--timeout "0s": must be longer than 0');
    expect(parseCountFlag('--keep-last', '5')).toBe(5);
    expect(() => parseCountFlag('--keep-last', '-1')).toThrow('--keep-last "-1" is not a whole number');
  });
});
