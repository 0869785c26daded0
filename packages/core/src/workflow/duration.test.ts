import { describe, expect, it } from 'vitest';
import { durationProblem, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['1.5s', 1_500],
    [' 5m ', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
  ])('%j → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['5', '500', '', 'soon', '5 sec', '-1s'])('refuses %j (no guessing of a missing unit)', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('durationProblem', () => {
  it('hints at both readings of a number without a unit, as a number or a string', () => {
    const hint = 'a duration needs a unit: write "5s" (seconds) or "5ms" (milliseconds); units are ms, s, m, h, d';
    expect(durationProblem(5)).toBe(hint);
    expect(durationProblem('5')).toBe(hint);
    expect(durationProblem(' 500 ')).toBe(
      'a duration needs a unit: write "500s" (seconds) or "500ms" (milliseconds); units are ms, s, m, h, d',
    );
  });

  it('names what else is wrong', () => {
    expect(durationProblem('soon')).toBe('must be a number and a unit, e.g. "500ms", "30s", "5m", "2h", "7d"');
    expect(durationProblem('0s')).toBe('must be longer than 0');
    expect(durationProblem(-5)).toBe('must be a duration string such as "30s", "5m" or "500ms"');
    expect(durationProblem(true)).toBe('must be a duration string such as "30s", "5m" or "500ms"');
  });

  it('accepts a duration with its unit', () => {
    expect(durationProblem('30s')).toBeUndefined();
  });
});
