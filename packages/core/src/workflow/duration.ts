const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;
const BARE_NUMBER = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * Parses a duration with its unit: `250ms`, `30s`, `5m`, `2h`, `7d` (decimals allowed: `1.5s`) into ms.
 * Returns `undefined` for anything else, **including a number without a unit** (`5` or `"5"`): whether
 * that meant 5 ms or 5 s is a guess, so it is refused. {@link durationProblem} says why a value was refused.
 */
export function parseDuration(value: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

/**
 * Why `value` is not a positive duration, or `undefined` when it is one. The sentence does not repeat the
 * value, so callers add it with the field's name: `--timeout "5": a duration needs a unit: write "5s" …`.
 * A number without a unit, as a number or a string, gets that hint with its own digits.
 */
export function durationProblem(value: unknown): string | undefined {
  const bare =
    typeof value === 'number' && Number.isFinite(value) && value >= 0
      ? String(value)
      : typeof value === 'string'
        ? BARE_NUMBER.exec(value)?.[1]
        : undefined;
  if (bare !== undefined) {
    return `a duration needs a unit: write "${bare}s" (seconds) or "${bare}ms" (milliseconds); units are ms, s, m, h, d`;
  }
  if (typeof value !== 'string') return 'must be a duration string such as "30s", "5m" or "500ms"';
  const ms = parseDuration(value);
  if (ms === undefined) return 'must be a number and a unit, e.g. "500ms", "30s", "5m", "2h", "7d"';
  if (ms <= 0) return 'must be longer than 0';
  return undefined;
}
