import { checkpointStoreConformance } from '@baton/core/testing/conformance';
import { CheckpointConflictError, CheckpointCorruptedError, CheckpointStoreError, sealRecord } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { MemoryObjectClient, s3Error } from '../testing/memory-object-client.js';
import { finishedRecord, startedRecord, stepRecord } from '../testing/records.js';
import { S3CheckpointStore } from './s3-checkpoint-store.js';

const clients = new WeakMap<object, MemoryObjectClient>();
function storeOn(
  client: MemoryObjectClient,
  options: Partial<ConstructorParameters<typeof S3CheckpointStore>[0]> = {},
): S3CheckpointStore {
  const store = new S3CheckpointStore({
    bucket: 'test-bucket',
    prefix: 'p',
    objectClient: client,
    retry: { initialDelayMs: 0 },
    ...options,
  });
  clients.set(store, client);
  return store;
}

checkpointStoreConformance({
  name: 'S3CheckpointStore over an in-memory S3 fake (pages of 7 keys)',
  create: () => storeOn(new MemoryObjectClient(7)),
  reopen: (store) => storeOn(clients.get(store)!),
  destroy: (store) => store.close?.(),
});

describe('S3CheckpointStore (fake client)', () => {
  it('writes one object per record under zero-padded keys, with If-None-Match', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    await store.append(startedRecord('r1'));
    await store.append(stepRecord('r1', 1));
    expect([...client.objects.keys()].filter((key) => key.startsWith('p/runs/'))).toEqual([
      'p/runs/r1/records/000000000000.json',
      'p/runs/r1/records/000000000001.json',
    ]);
    const puts = client.calls.filter((call) => call.op === 'put' && call.input.key.startsWith('p/runs/'));
    expect(puts.every((call) => call.op === 'put' && call.input.ifNoneMatch)).toBe(true);
  });

  it('lets exactly one of several store instances append the same seq', async () => {
    const client = new MemoryObjectClient();
    await storeOn(client).append(startedRecord('race'));
    const stores = Array.from({ length: 10 }, () => storeOn(client));
    const results = await Promise.allSettled(
      stores.map((store, index) => store.append(stepRecord('race', 1, { writer: index }))),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(CheckpointConflictError);
    }
    expect(await storeOn(client).read('race')).toHaveLength(2);
  });

  it('refreshes a stale chain end once before calling an append a conflict', async () => {
    const client = new MemoryObjectClient();
    const a = storeOn(client);
    const b = storeOn(client);
    await a.append(startedRecord('stale'));
    await b.append(stepRecord('stale', 1)); // b appends behind a's back
    await a.append(stepRecord('stale', 2)); // a's cache says 1 record; it re-reads and succeeds
    expect((await b.read('stale')).map((record) => record.seq)).toEqual([0, 1, 2]);
  });

  it('treats a retried write that had been applied as its own, not as a conflict', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    let failed = false;
    client.fault = (operation) => {
      if (operation.op !== 'put' || failed) return undefined;
      failed = true;
      return { after: s3Error('InternalError', 500) }; // applied, then the response is lost
    };
    await store.append(startedRecord('ambiguous'));
    await store.append(stepRecord('ambiguous', 1));
    expect((await store.read('ambiguous')).map((record) => record.seq)).toEqual([0, 1]);
  });

  it('still reports a conflict when a retried write lost to another writer', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    await store.append(startedRecord('lost'));
    const other = storeOn(client);
    client.fault = (operation) => {
      if (operation.op !== 'put' || client.fault === undefined) return undefined;
      client.fault = undefined;
      // Before our write lands, another writer takes the seq; our attempt fails transiently.
      void other.append(stepRecord('lost', 1, 'theirs'));
      return s3Error('ServiceUnavailable', 503);
    };
    await expect(store.append(stepRecord('lost', 1, 'ours'))).rejects.toBeInstanceOf(CheckpointConflictError);
    expect(((await store.read('lost'))[1] as { output: unknown }).output).toBe('theirs');
  });

  it('verifies every record on read and names the damaged object', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    await store.append(startedRecord('bad'));
    await store.append(stepRecord('bad', 1, 'ok'));
    client.tamper('p/runs/bad/records/000000000001.json', (body) => body.replace('"ok"', '"evil"'));
    await expect(store.read('bad')).rejects.toThrow(
      new CheckpointCorruptedError(
        's3://test-bucket/p/runs/bad/records/000000000001.json',
        'SHA-256 mismatch (record was altered)',
      ),
    );
  });

  it('reports a missing record in the middle as corruption', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    for (const record of [startedRecord('gap'), stepRecord('gap', 1), stepRecord('gap', 2)]) await store.append(record);
    client.objects.delete('p/runs/gap/records/000000000001.json');
    await expect(store.read('gap')).rejects.toMatchObject({
      code: 'BATON_CHECKPOINT_CORRUPTED',
      message:
        'Corrupted checkpoint at s3://test-bucket/p/runs/gap/records/000000000001.json: record 1 is missing (the next one found is seq 2)',
    });
  });

  it('detects a record swapped in from another run', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    await store.append(startedRecord('one'));
    await store.append(startedRecord('two'));
    client.objects.set(
      'p/runs/one/records/000000000000.json',
      client.objects.get('p/runs/two/records/000000000000.json')!,
    );
    await expect(store.read('one')).rejects.toBeInstanceOf(CheckpointCorruptedError);
  });

  it('lists runs from their first and last records and skips a damaged one with a warning', async () => {
    const client = new MemoryObjectClient(2);
    const store = storeOn(client);
    await store.append(startedRecord('done', 10));
    await store.append(stepRecord('done', 1, null, 11));
    await store.append(finishedRecord('done', 2, 'failed', 12));
    await store.append(startedRecord('live', 5));
    await store.append(startedRecord('broken', 7));
    client.tamper('p/runs/broken/records/000000000000.json', () => '{not json');
    const warnings: string[] = [];
    client.calls.length = 0;
    store.onWarning((warning) => warnings.push(warning.code));
    const runs = await store.listRuns();
    expect(runs.map((run) => [run.runId, run.status, run.records, run.startedAt, run.updatedAt])).toEqual([
      ['live', 'running', 1, 5, 5],
      ['done', 'failed', 3, 10, 12],
    ]);
    expect(warnings).toEqual(['run_unreadable']);
    expect(client.calls.filter((call) => call.op === 'get')).toHaveLength(4); // first + last of 'done', one each for 'live' and 'broken'
  });

  it('deletes a run of more than 1,000 objects in batches', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    const records = [
      startedRecord('big'),
      ...Array.from({ length: 1_100 }, (_, index) => stepRecord('big', index + 1)),
    ];
    await Promise.all(records.map((record) => store.append(record)));
    await store.acquire('big');
    await store.deleteRun('big');
    expect([...client.objects.keys()].filter((key) => key.includes('/runs/') || key.startsWith('runs/'))).toEqual([]);
    const batches = client.calls.flatMap((call) => (call.op === 'deleteMany' ? [call.keys.length] : []));
    expect(batches).toEqual([1000, 102]); // 1,101 records + the lease
  });

  it('waits for pending appends on close', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    const appends = [startedRecord('drain'), stepRecord('drain', 1), stepRecord('drain', 2)].map((record) =>
      store.append(record),
    );
    await store.close();
    expect([...client.objects.keys()].filter((key) => key.includes('runs/'))).toHaveLength(3);
    await Promise.all(appends);
  });

  it('rejects invalid seq values', async () => {
    const store = storeOn(new MemoryObjectClient());
    await expect(store.append({ ...startedRecord('seq'), seq: -1 })).rejects.toBeInstanceOf(CheckpointConflictError);
    await expect(store.append({ ...startedRecord('seq'), seq: 1.5 })).rejects.toBeInstanceOf(CheckpointConflictError);
  });

  it('validates its options and names every problem', () => {
    expect(() => new S3CheckpointStore({ bucket: 'b' } as never)).toThrow(CheckpointStoreError);
    expect(
      () => new S3CheckpointStore({ bucket: 'bucket', objectClient: new MemoryObjectClient(), clientConfig: {} }),
    ).toThrow('Invalid S3CheckpointStore options: (options): give exactly one of client, clientConfig or objectClient');
    expect(
      () =>
        new S3CheckpointStore({
          bucket: 'bucket',
          objectClient: new MemoryObjectClient(),
          leaseTtlMs: 1000,
          leaseRenewIntervalMs: 1000,
        }),
    ).toThrow('leaseRenewIntervalMs: leaseRenewIntervalMs must be below leaseTtlMs');
  });

  it('normalizes the prefix', () => {
    expect(storeOn(new MemoryObjectClient(), { prefix: 'a/b' }).prefix).toBe('a/b/');
    expect(storeOn(new MemoryObjectClient(), { prefix: '' }).prefix).toBe('');
  });
});

describe('S3CheckpointStore probing conditional writes', () => {
  it('refuses to write to a server that ignores If-None-Match and If-Match, naming the endpoint', async () => {
    const client = new MemoryObjectClient();
    const honest = client.put.bind(client);
    client.put = (input) => honest({ key: input.key, body: input.body });
    const store = storeOn(client);
    await expect(store.append(startedRecord('r1'))).rejects.toThrow(/does not honour conditional writes/);
    await expect(store.acquire('r1')).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_STORE' });
    expect([...client.objects.keys()].filter((key) => key.startsWith('p/runs/'))).toEqual([]);
  });

  it('fails at once on a 501 NotImplemented answer to a conditional PUT', async () => {
    const client = new MemoryObjectClient();
    client.fault = (operation) => (operation.op === 'put' ? s3Error('NotImplemented', 501) : undefined);
    const store = storeOn(client);
    await expect(store.append(startedRecord('r1'))).rejects.toThrow(/501 NotImplemented/);
    expect(client.calls.filter((call) => call.op === 'put')).toHaveLength(1);
  });

  it('isolates a throwing warning listener from the store operation', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    store.onWarning(() => {
      throw new Error('listener bug');
    });
    await store.append(startedRecord('r1'));
    client.tamper('p/runs/r1/records/000000000000.json', (body) => body.replace('"hash":"', '"hash":"0'));
    await expect(store.listRuns()).resolves.toEqual([]);
  });
});

describe('S3CheckpointStore chain links', () => {
  it('rejects a record whose own hash is valid but whose prev link is broken', async () => {
    const client = new MemoryObjectClient();
    const store = storeOn(client);
    await store.append(startedRecord('r1'));
    await store.append(stepRecord('r1', 1));
    await store.append(stepRecord('r1', 2));
    // Re-sealed consistently with itself, but chained to a hash that is not record 0's.
    const forged = sealRecord(stepRecord('r1', 1, 'forged'), 'f'.repeat(64));
    client.objects.set('p/runs/r1/records/000000000001.json', { body: forged.text, etag: '"forged"' });
    await expect(store.read('r1')).rejects.toBeInstanceOf(CheckpointCorruptedError);
    expect((await store.verify('r1')).ok).toBe(false);
  });
});
