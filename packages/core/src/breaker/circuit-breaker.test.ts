import { describe, expect, it } from 'vitest';
import { CircuitOpenError } from '../errors/errors.js';
import { CircuitBreaker, type BreakerTransition } from './circuit-breaker.js';

function setup(options = {}) {
  let now = 0;
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker(
    'agent',
    options,
    (t) => transitions.push(t),
    () => now,
  );
  return { breaker, transitions, advance: (ms: number) => (now += ms) };
}
const fail = (breaker: CircuitBreaker, times = 1) => {
  for (let i = 0; i < times; i++) breaker.acquire().failure();
};

describe('CircuitBreaker', () => {
  it('opens after 5 consecutive counted failures (default) and refuses with the remaining open time', () => {
    const { breaker, transitions, advance } = setup();
    fail(breaker, 4);
    breaker.acquire().success(); // resets the streak
    fail(breaker, 4);
    expect(breaker.state).toBe('closed');
    fail(breaker);
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([
      { key: 'agent', from: 'closed', to: 'open', reason: '5 consecutive failures', consecutiveFailures: 5 },
    ]);
    advance(10_000);
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
    try {
      breaker.acquire();
    } catch (error) {
      expect((error as CircuitOpenError).retryAfterMs).toBe(20_000);
    }
  });

  it('neutral outcomes (fatal input, cancellation) do not count', () => {
    const { breaker } = setup({ consecutiveFailures: 2 });
    for (let i = 0; i < 10; i++) breaker.acquire().neutral();
    expect(breaker.state).toBe('closed');
  });

  it('half-opens after halfOpenAfterMs, admits bounded probes, closes after enough successes', () => {
    const { breaker, transitions, advance } = setup({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
      halfOpenMaxProbes: 2,
      successesToClose: 2,
    });
    fail(breaker);
    advance(999);
    expect(breaker.state).toBe('open');
    advance(1);
    expect(breaker.state).toBe('half_open');
    const probes = [breaker.acquire(), breaker.acquire()];
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
    probes[0]!.success();
    expect(breaker.state).toBe('half_open');
    probes[1]!.success();
    expect(breaker.state).toBe('closed');
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      'closed->open',
      'open->half_open',
      'half_open->closed',
    ]);
  });

  it('a half-open refusal carries a real wait (halfOpenAfterMs), never 0 ms', () => {
    const { breaker, advance } = setup({ consecutiveFailures: 1, halfOpenAfterMs: 1000 });
    fail(breaker);
    advance(1000);
    const probe = breaker.acquire();
    let refusal: unknown;
    try {
      breaker.acquire();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(CircuitOpenError);
    expect(refusal).toMatchObject({
      retryAfterMs: 1000,
      state: 'half_open',
      message: "Circuit breaker 'agent' is half-open and its probe is in flight; ask again in 1000 ms",
    });
    probe.success();
    expect(breaker.state).toBe('closed');
  });

  it('reopens when a probe fails', () => {
    const { breaker, transitions, advance } = setup({ consecutiveFailures: 1, halfOpenAfterMs: 100 });
    fail(breaker);
    advance(100);
    breaker.acquire().failure();
    expect(breaker.state).toBe('open');
    expect(transitions.at(-1)).toMatchObject({ from: 'half_open', to: 'open', reason: 'probe failed' });
  });

  it('opens on a failure ratio over a sliding window once the minimum volume is reached', () => {
    const { breaker } = setup({ consecutiveFailures: 100, failureRatio: 0.5, windowSize: 10, minimumVolume: 6 });
    for (const ok of [true, false, true, false, true]) ok ? breaker.acquire().success() : breaker.acquire().failure();
    expect(breaker.state).toBe('closed'); // 2/5 and below minimum volume
    breaker.acquire().failure(); // 3/6 = 0.5
    expect(breaker.state).toBe('open');
  });

  it('counts each permit once', () => {
    const { breaker } = setup({ consecutiveFailures: 2 });
    const permit = breaker.acquire();
    permit.failure();
    permit.failure();
    expect(breaker.state).toBe('closed');
  });
});
