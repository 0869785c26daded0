import { LeaseLostError, type StoreWarning } from '@baton/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LeaseBackend, PgRunLease } from './pg-lease.js';

const TTL = 1_000;
const RENEW = 300;
const MARGIN = 200;

/** A lease on a fake backend, timed by vitest's fake clock (timers and `performance.now` both). */
function lease(backend: Partial<LeaseBackend> = {}) {
  const warnings: StoreWarning[] = [];
  const calls = { renew: 0, release: 0, ended: 0 };
  const full: LeaseBackend = {
    renew: backend.renew ?? (async () => (calls.renew++, true)),
    release: backend.release ?? (async () => void calls.release++),
  };
  const held = new PgRunLease(
    'run-1',
    'token-1',
    { owner: 'me', ttlMs: TTL, renewEveryMs: RENEW, safetyMarginMs: MARGIN, monotonicNow: () => performance.now() },
    full,
    performance.now(),
    (warning) => warnings.push(warning),
    () => calls.ended++,
  );
  return { held, warnings, calls };
}

describe('PgRunLease', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('renews every renewEveryMs and stays valid while renewals succeed', async () => {
    const { held, calls } = lease();
    await vi.advanceTimersByTimeAsync(RENEW * 10);
    expect(calls.renew).toBe(10);
    expect(() => held.assertValid()).not.toThrow();
    expect(held.signal.aborted).toBe(false);
    await held.release();
  });

  it('once released by the server (its run.finished append), stops renewing and releases without a round trip', async () => {
    const { held, calls, warnings } = lease();
    held.releasedByServer();
    expect(calls.ended).toBe(1);
    await vi.advanceTimersByTimeAsync(RENEW * 5);
    await held.release();
    expect(calls).toEqual({ renew: 0, release: 0, ended: 1 });
    expect(held.signal.aborted).toBe(false);
    expect(warnings).toEqual([]);
    expect(() => held.assertValid()).toThrow(LeaseLostError);
  });

  it('is lost, with the signal aborted and a warning, when the server refuses a renewal', async () => {
    const { held, warnings } = lease({ renew: async () => false });
    await vi.advanceTimersByTimeAsync(RENEW);
    expect(held.lost).toBe(true);
    expect(held.signal.aborted).toBe(true);
    expect(held.signal.reason).toBeInstanceOf(LeaseLostError);
    expect(() => held.assertValid()).toThrow(/another worker took the lease over, or it expired on the server/);
    expect(warnings.map((warning) => warning.code)).toEqual(['lease_lost']);
  });

  it('survives failed renewals until its validity runs out, then is lost', async () => {
    const { held, warnings } = lease({
      renew: async () => {
        throw new Error('Connection terminated unexpectedly');
      },
    });
    await vi.advanceTimersByTimeAsync(RENEW * 2);
    expect(held.lost).toBe(false);
    expect(warnings.map((warning) => warning.code)).toEqual(['lease_renew_failed', 'lease_renew_failed']);
    await vi.advanceTimersByTimeAsync(TTL - MARGIN - RENEW * 2);
    expect(() => held.assertValid()).toThrow(LeaseLostError);
    expect(held.signal.aborted).toBe(true);
  });

  it('refuses to vouch for itself after a pause longer than ttl - margin, before any timer runs', () => {
    const { held } = lease();
    // A pause: the monotonic clock jumps without the renewal timer getting a turn.
    const start = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(start + TTL - MARGIN);
    expect(() => held.assertValid()).toThrow(/validity ran out before it was renewed/);
    expect(held.lost).toBe(true);
  });

  it('fence() loses the lease at once and returns the error to throw', () => {
    const { held } = lease();
    const error = held.fence('the server refused an append');
    expect(error).toBeInstanceOf(LeaseLostError);
    expect(error.message).toBe("Lease on run 'run-1' lost: the server refused an append");
    expect(held.signal.reason).toBe(error);
  });

  it('release() deletes the row once, stops renewing, and is idempotent', async () => {
    const { held, calls } = lease();
    await held.release();
    await held.release();
    expect(calls).toMatchObject({ release: 1, ended: 1 });
    await vi.advanceTimersByTimeAsync(RENEW * 5);
    expect(calls.renew).toBe(0);
    expect(() => held.assertValid()).toThrow(/released or abandoned/);
  });

  it('release() never rejects: a failure becomes a warning (the lease expires by itself)', async () => {
    const { held, warnings } = lease({
      release: async () => {
        throw new Error('down');
      },
    });
    await expect(held.release()).resolves.toBeUndefined();
    expect(warnings.map((warning) => warning.code)).toEqual(['lease_release_failed']);
  });

  it('release() after a loss does not touch the server', async () => {
    const released: string[] = [];
    const { held } = lease({ renew: async () => false, release: async (token) => void released.push(token) });
    await vi.advanceTimersByTimeAsync(RENEW);
    await held.release();
    expect(released).toEqual([]);
  });
});
