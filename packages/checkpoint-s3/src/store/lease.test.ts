import { CheckpointConflictError, LeaseLostError } from '@baton/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryObjectClient, s3Error } from '../testing/memory-object-client.js';
import { startedRecord, stepRecord } from '../testing/records.js';
import { S3CheckpointStore } from './s3-checkpoint-store.js';

const LEASE_KEY = 'runs/r/lease.json';
let now = 0;
let client: MemoryObjectClient;

function worker(owner: string): S3CheckpointStore {
  return new S3CheckpointStore({
    bucket: 'test-bucket',
    objectClient: client,
    owner,
    now: () => now,
    leaseTtlMs: 1_000,
    leaseRenewIntervalMs: 300,
    retry: { initialDelayMs: 0, jitter: 'none' },
  });
}

/** Moves both the lease clock and the renewal timers forward. */
async function advance(ms: number): Promise<void> {
  now += ms;
  await vi.advanceTimersByTimeAsync(ms);
}

beforeEach(() => {
  vi.useFakeTimers();
  now = 0;
  client = new MemoryObjectClient();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('run leases', () => {
  it('grants a run to one worker; the other gets a conflict naming the owner until release', async () => {
    const a = worker('worker-a');
    const b = worker('worker-b');
    const lease = await a.acquire('r');
    await expect(b.acquire('r')).rejects.toThrow(
      new CheckpointConflictError('r', "leased by 'worker-a' until 1970-01-01T00:00:01.000Z (1000 ms from now)"),
    );
    await lease.release();
    await (await b.acquire('r')).release();
  });

  it('lets exactly one of many workers racing for a free run win', async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, index) => worker(`w${index}`).acquire('r')));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it('renews a live lease in the background, so it never expires under a running worker', async () => {
    const a = worker('worker-a');
    await a.acquire('r');
    await advance(900);
    await advance(900); // well past the first expiry (1,000)
    await expect(worker('worker-b').acquire('r')).rejects.toBeInstanceOf(CheckpointConflictError);
    await a.close();
  });

  it("lets another worker take over once a dead worker's lease expired", async () => {
    const a = worker('worker-a');
    await a.acquire('r');
    // Timers are fake and not advanced: a never renews, as if its process had been killed.
    now = 999;
    await expect(worker('worker-b').acquire('r')).rejects.toBeInstanceOf(CheckpointConflictError);
    now = 1_000;
    const lease = await worker('worker-b').acquire('r');
    expect(lease.expiresAt).toBe(2_000);
  });

  it('marks a lease lost when it was taken over: signal aborts, appends are refused, a warning is sent', async () => {
    const a = worker('worker-a');
    const warnings: string[] = [];
    a.onWarning((warning) => warnings.push(warning.code));
    await a.append(startedRecord('r'));
    const lease = await a.acquire('r');
    now = 1_500; // a was paused past its expiry (a long GC, a suspended VM)
    await worker('worker-b').acquire('r');
    await vi.advanceTimersByTimeAsync(300); // a's next renewal finds the lease taken
    expect(lease.lost).toBe(true);
    expect(lease.signal.aborted).toBe(true);
    expect(lease.signal.reason).toBeInstanceOf(LeaseLostError);
    expect(warnings).toEqual(['lease_lost']);
    await expect(a.append(stepRecord('r', 1))).rejects.toMatchObject({ code: 'BATON_LEASE_LOST' });
  });

  it('keeps a lease whose renewal was applied but answered with a 500', async () => {
    const a = worker('worker-a');
    const lease = await a.acquire('r');
    let injected = false;
    client.fault = (operation) => {
      if (operation.op !== 'put' || injected) return undefined;
      injected = true;
      return { after: s3Error('InternalError', 500) };
    };
    await advance(300); // the renewal is applied, its answer lost; the retry finds a failed If-Match...
    await advance(300); // ...reads the lease back, sees its own write and adopts the new ETag
    expect(lease.lost).toBe(false);
    expect(lease.expiresAt).toBe(1_300);
    await advance(600); // so the next renewal's If-Match matches
    expect(lease.lost).toBe(false);
    expect(JSON.parse(client.objects.get(LEASE_KEY)!.body).expiresAt).toBeGreaterThan(1_300);
  });

  it('loses a lease it cannot renew before it expires', async () => {
    const a = worker('worker-a');
    const lease = await a.acquire('r');
    client.fault = (operation) => (operation.op === 'put' ? s3Error('ServiceUnavailable', 503) : undefined);
    await advance(300);
    await advance(300);
    await advance(300);
    expect(lease.lost).toBe(false);
    await advance(300); // 1,200 > 1,000
    expect(lease.lost).toBe(true);
  });

  it('refuses a second acquire from the same store, and allows one after release', async () => {
    const a = worker('worker-a');
    const lease = await a.acquire('r');
    await expect(a.acquire('r')).rejects.toThrow("already leased by this store (owner 'worker-a')");
    await lease.release();
    await lease.release(); // idempotent
    await (await a.acquire('r')).release();
  });

  it('replaces an unreadable lease object with a warning', async () => {
    client.objects.set(LEASE_KEY, { body: 'garbage', etag: '"x"' });
    const a = worker('worker-a');
    const warnings: string[] = [];
    a.onWarning((warning) => warnings.push(warning.code));
    await a.acquire('r');
    expect(warnings).toEqual(['lease_unreadable']);
    expect(JSON.parse(client.objects.get(LEASE_KEY)!.body)).toMatchObject({ owner: 'worker-a', expiresAt: 1_000 });
  });

  it('releases held leases on close', async () => {
    const a = worker('worker-a');
    const leaseOfA = await a.acquire('other');
    await a.close();
    expect(leaseOfA.lost).toBe(false);
    expect(JSON.parse(client.objects.get('runs/other/lease.json')!.body)).toMatchObject({ released: true });
  });

  it('refuses an append once its validity ran out, before any renewal timer fires (a paused worker wakes up)', async () => {
    let mono = 0;
    const a = new S3CheckpointStore({
      bucket: 'test-bucket',
      objectClient: client,
      owner: 'worker-a',
      now: () => now,
      monotonicNow: () => mono,
      leaseTtlMs: 1_000,
      leaseRenewIntervalMs: 300,
      retry: { initialDelayMs: 0, jitter: 'none' },
    });
    const lease = await a.acquire('r');
    await a.append(startedRecord('r'));
    mono = 5_000; // SIGSTOPped past its lease: no timer has run yet
    now = 5_000;
    const b = worker('worker-b');
    await b.acquire('r');
    await expect(a.append(stepRecord('r', 1))).rejects.toMatchObject({ code: 'BATON_LEASE_LOST' });
    expect(lease.signal.reason).toBeInstanceOf(LeaseLostError);
    await b.append(stepRecord('r', 1));
    // The paused writer must not append at the new owner's next seq either.
    await expect(a.append(stepRecord('r', 2))).rejects.toMatchObject({ code: 'BATON_LEASE_LOST' });
    expect((await b.read('r')).map((record) => record.seq)).toEqual([0, 1]);
  });

  it('treats a lost conditional write as final for a lease holder: no append at the next free seq', async () => {
    const a = worker('worker-a');
    await a.acquire('r');
    await a.append(startedRecord('r'));
    const intruder = worker('intruder');
    await intruder.append(stepRecord('r', 1)); // e.g. a paused ex-owner's one in-flight write
    await expect(a.append(stepRecord('r', 1))).rejects.toBeInstanceOf(CheckpointConflictError);
    await expect(a.append(stepRecord('r', 2))).rejects.toMatchObject({ code: 'BATON_LEASE_LOST' });
    expect((await a.read('r')).map((record) => record.seq)).toEqual([0, 1]);
  });
});

describe('ownerOf', () => {
  it('sees a live lease as alive, the lease of a worker that stopped renewing as gone once expired, a released one as nobody', async () => {
    const a = worker('worker-a');
    const reader = worker('reader');
    expect(await reader.ownerOf('r')).toBeUndefined();
    const lease = await a.acquire('r');
    expect(await reader.ownerOf('r')).toEqual({
      alive: true,
      description: "leased by 'worker-a' until 1970-01-01T00:00:01.000Z",
      since: 0,
    });
    // A crashed worker: its renewals stop, its lease object stays.
    lease.abandon();
    await advance(999);
    expect(await reader.ownerOf('r')).toMatchObject({ alive: true });
    await advance(1);
    expect(await reader.ownerOf('r')).toEqual({
      alive: false,
      description: "lease of 'worker-a' expired at 1970-01-01T00:00:01.000Z, not renewed",
      since: 0,
    });
    // Reading it took nothing: the run can be taken over, and once released nobody owns it.
    const taken = await reader.acquire('r');
    expect(await a.ownerOf('r')).toMatchObject({ alive: true, description: expect.stringContaining("'reader'") });
    await taken.release();
    expect(await a.ownerOf('r')).toBeUndefined();
  });

  it('counts an unreadable lease object (which acquire would replace) as gone', async () => {
    await client.put({ key: LEASE_KEY, body: 'not json', ifNoneMatch: true });
    expect(await worker('reader').ownerOf('r')).toEqual({
      alive: false,
      description: `lease object ${LEASE_KEY} is not a valid lease`,
    });
  });
});
