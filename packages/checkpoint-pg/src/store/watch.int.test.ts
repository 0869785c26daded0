import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, pgTestUrl, realStore, uniqueSchema } from '../testing/pg-test-env.js';
import { startedRecord, stepRecord } from '../testing/records.js';
import pg from 'pg';
import { notifyChannel, quoteIdent } from './migrations.js';
import type { PostgresCheckpointStore } from './pg-checkpoint-store.js';

const url = pgTestUrl();

/** Resolves when `check` holds, polling every 20 ms (no deadline here: the test timeout is the bound). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

if (url) {
  describe('watchRuns(): LISTEN/NOTIFY on the real PostgreSQL server', () => {
    const schemas: string[] = [];
    const stores: PostgresCheckpointStore[] = [];
    const open = async (schema: string) => {
      const store = await realStore(url, schema);
      stores.push(store);
      return store;
    };
    const fresh = (label: string) => {
      const schema = uniqueSchema(label);
      schemas.push(schema);
      return schema;
    };
    afterAll(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      for (const schema of schemas) await dropSchema(url, schema);
    });

    it("pushes the run id of each append made through another store (another pool), and only this schema's", async () => {
      const schema = fresh('watch');
      const reader = await open(schema);
      const writer = await open(schema);
      const other = await open(fresh('watch_other'));
      const seen: string[] = [];
      const watch = await reader.watchRuns({ onChange: (runIds) => seen.push(...runIds) });
      const runId = uniqueRunId('notified');
      const elsewhere = uniqueRunId('elsewhere');
      await other.append(startedRecord(elsewhere));
      await writer.append(startedRecord(runId));
      await writer.append(stepRecord(runId, 1));
      await until(() => seen.length >= 2);
      expect(seen).toEqual([runId, runId]);
      await watch.close();
      await writer.append(stepRecord(runId, 2));
      // A later append another watcher hears proves this one had its chance and stayed silent.
      const after: string[] = [];
      const second = await reader.watchRuns({ onChange: (runIds) => after.push(...runIds) });
      await writer.append(stepRecord(runId, 3));
      await until(() => after.length >= 1);
      expect(seen).toEqual([runId, runId]);
      await second.close();
    });

    it('sends no NOTIFY at all while nobody watches (a NOTIFY serializes commits), and does while a watch lives', async () => {
      const schema = fresh('watch_unwatched');
      const writer = await open(schema);
      // A bare LISTEN, not watchRuns: it hears what the trigger sends without registering a watcher.
      const spy = new pg.Client({ connectionString: url });
      await spy.connect();
      const heard: string[] = [];
      spy.on('notification', (message) => heard.push(message.payload ?? ''));
      try {
        await spy.query(`LISTEN ${quoteIdent(notifyChannel(schema))}`);
        const quiet = uniqueRunId('unwatched');
        await writer.append(startedRecord(quiet));
        await writer.append(stepRecord(quiet, 1));
        const reader = await open(schema);
        const watch = await reader.watchRuns({ onChange: () => undefined });
        const loud = uniqueRunId('watched');
        await writer.append(startedRecord(loud));
        await until(() => heard.length >= 1);
        // NOTIFYs are delivered in commit order: had the first two appends notified, they would have come first.
        expect(heard).toEqual([loud]);
        await watch.close();
        const [{ watchers }] = (await adminQuery<{ watchers: string }>(
          url,
          `SELECT count(*) AS watchers FROM ${quoteIdent(schema)}.watchers`,
        )) as [{ watchers: string }];
        expect(Number(watchers)).toBe(0);
      } finally {
        await spy.end();
      }
    });

    it('notifies nothing for a refused append (the trigger fires inside the INSERT only)', async () => {
      const schema = fresh('watch_refused');
      const reader = await open(schema);
      const writer = await open(schema);
      const seen: string[] = [];
      const watch = await reader.watchRuns({ onChange: (runIds) => seen.push(...runIds) });
      const runId = uniqueRunId('refused');
      await expect(writer.append(stepRecord(runId, 5))).rejects.toThrow();
      const marker = uniqueRunId('marker');
      await writer.append(startedRecord(marker));
      await until(() => seen.length >= 1);
      expect(seen).toEqual([marker]);
      await watch.close();
    });

    it('reconnects after its backend is terminated, reports the error and asks for a resync', async () => {
      const schema = fresh('watch_drop');
      const reader = await open(schema);
      const writer = await open(schema);
      const seen: string[] = [];
      const errors: unknown[] = [];
      let resyncs = 0;
      const watch = await reader.watchRuns({
        onChange: (runIds) => seen.push(...runIds),
        onError: (error) => errors.push(error),
        onResync: () => resyncs++,
      });
      const channel = `baton.${schema}`;
      const listeners = () =>
        adminQuery<{ pid: number }>(
          url,
          "SELECT pid FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid() AND state = 'idle'",
          [`LISTEN "${channel}"`],
        );
      const [backend] = await listeners();
      expect(backend).toBeDefined();
      await adminQuery(url, 'SELECT pg_terminate_backend($1)', [backend!.pid]);
      await until(() => resyncs === 1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'BATON_PG_CONNECTION', retryable: true });
      const [again] = await listeners();
      expect(again?.pid).not.toBe(backend!.pid);
      const runId = uniqueRunId('after-drop');
      await writer.append(startedRecord(runId));
      await until(() => seen.length >= 1);
      expect(seen).toEqual([runId]);
      await watch.close();
    });

    it('close() of the store stops its watches and returns their connections', async () => {
      const schema = fresh('watch_close');
      const reader = await open(schema);
      await reader.watchRuns({ onChange: () => {} });
      await reader.close();
      const rows = await adminQuery(url, 'SELECT pid FROM pg_stat_activity WHERE query = $1', [
        `LISTEN "baton.${schema}"`,
      ]);
      expect(rows).toEqual([]);
    });
  });
}
