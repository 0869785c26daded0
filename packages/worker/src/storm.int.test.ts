import { PostgresCheckpointStore } from '@baton/checkpoint-pg';
import { createSupervisor, MemoryCheckpointStore } from '@baton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { stormWorkflow } from './__fixtures__/storm-workflow.mjs';
import { createClient, type Client, type WorkerRunResult } from './index.js';
import { adminQuery, dropSchema, pgTestUrl, uniqueSchema } from './testing/pg-test-env.js';
import { createLedger, spawnWorker, type WorkerProcess } from './testing/worker-processes.js';

// The storm: 4 worker child processes (concurrency 4) run 200 five-step runs while the test SIGKILLs a random
// ready worker at random intervals (and respawns it) until 50 kills, and SIGSTOPs one worker past its lease and
// its job's heartbeat, then SIGCONTs it. Every run must succeed with the outputs of an uninterrupted run, no step
// may start once it was checkpointed as succeeded (the ledger), and the store must verify clean.

const url = pgTestUrl();
const RUNS = 200;
const KILLS = 50;
const WORKERS = 4;
const HEARTBEAT_S = 10;
const LEASE_TTL_MS = 3_000;
/** Bound on the whole storm (the suite's own budget is < 3 min on 2 busy cores). */
const STORM_BOUND_MS = 170_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (url) {
  describe('a storm of worker crashes and a pause, against the real PostgreSQL server', () => {
    const storeSchema = uniqueSchema('wstorm');
    const bossSchema = uniqueSchema('wsboss');
    const env = {
      BATON_PG_URL: url,
      STORE_SCHEMA: storeSchema,
      BOSS_SCHEMA: bossSchema,
      CONCURRENCY: '4',
      LEASE_TTL_MS: String(LEASE_TTL_MS),
    };
    const workers: WorkerProcess[] = [];
    let client: Client | undefined;
    afterAll(async () => {
      for (const worker of workers) {
        worker.child.kill('SIGCONT');
        worker.child.kill('SIGKILL');
      }
      await Promise.all(workers.map((worker) => worker.exited));
      await client?.close();
      await dropSchema(url, storeSchema);
      await dropSchema(url, bossSchema);
    });

    it('finishes every run once, without re-running a finished step, equal to an uninterrupted run', async () => {
      const startedAt = Date.now();
      await createLedger(url, storeSchema);
      client = await createClient({ connectionString: url, storeSchema, queueOptions: { schema: bossSchema } });
      const live: WorkerProcess[] = [];
      const spawnOne = () => {
        const worker = spawnWorker(env);
        workers.push(worker);
        live.push(worker);
        return worker;
      };
      for (let index = 0; index < WORKERS; index++) spawnOne();
      await Promise.all(live.map((worker) => worker.ready));

      const workflow = stormWorkflow(undefined);
      const runIds = Array.from({ length: RUNS }, (_, index) => `storm-${index}`);
      const handles = await Promise.all(runIds.map((runId) => client!.start(workflow, { seed: runId }, { runId })));
      const results = new Map<string, WorkerRunResult>();
      const allDone = Promise.all(handles.map(async (handle) => results.set(handle.runId, await handle.result())));

      const workerMidRun = async (candidates: WorkerProcess[]): Promise<WorkerProcess | undefined> => {
        const pids = candidates.map((worker) => worker.child.pid).filter((pid): pid is number => pid !== undefined);
        if (pids.length === 0) return undefined;
        const rows = await adminQuery<{ pid: number }>(
          url,
          `SELECT DISTINCT pid FROM "${storeSchema}".ledger AS mine WHERE pid = ANY($1) AND event = 'done'
             AND step_id <> 's5' AND at > clock_timestamp() - interval '1 second' AND NOT EXISTS (SELECT 1 FROM "${storeSchema}".ledger AS last
               WHERE last.run_id = mine.run_id AND last.step_id = 's5' AND last.event = 'done')`,
          [pids],
        );
        const busy = new Set(rows.map((row) => Number(row.pid)));
        return candidates.find((worker) => worker.child.pid !== undefined && busy.has(worker.child.pid));
      };
      let kills = 0;
      let paused: WorkerProcess | undefined;
      let pauseMs = 0;
      const chaos = (async () => {
        while (kills < KILLS) {
          await sleep(100 + Math.random() * 400);
          if (kills >= 10 && !paused) {
            // The pause: past the lease TTL and the job heartbeat, so another worker takes its runs over. It must hit
            // a worker in the middle of a run (one that finished a step of a run whose last step is not done yet),
            // not one idle between jobs, or no run would be taken over and the check below would prove nothing.
            paused = await workerMidRun(live.filter((worker) => worker.isReady()));
            if (paused) {
              live.splice(live.indexOf(paused), 1);
              paused.child.kill('SIGSTOP');
              const stoppedAt = Date.now();
              const pauseFor = (HEARTBEAT_S + 4) * 1000;
              // A timer may fire a millisecond early by Date.now(): wake only once the whole pause has passed.
              const resumeWhenDue = (): void => {
                const elapsed = Date.now() - stoppedAt;
                if (elapsed < pauseFor) return void setTimeout(resumeWhenDue, pauseFor - elapsed).unref();
                pauseMs = elapsed;
                paused!.child.kill('SIGCONT');
              };
              setTimeout(resumeWhenDue, pauseFor).unref();
              spawnOne();
            }
          }
          const victim = live.filter((worker) => worker.isReady())[Math.floor(Math.random() * WORKERS)];
          if (!victim) continue;
          victim.child.kill('SIGKILL');
          live.splice(live.indexOf(victim), 1);
          kills++;
          spawnOne();
        }
      })();
      await Promise.race([
        Promise.all([allDone, chaos]),
        sleep(STORM_BOUND_MS).then(() => {
          throw new Error(`storm not done in ${STORM_BOUND_MS} ms: ${results.size}/${RUNS} runs, ${kills} kills`);
        }),
      ]);

      // The reference: the same runs, uninterrupted, in this process.
      const reference = createSupervisor({ store: new MemoryCheckpointStore() });
      const expected = await Promise.all(
        runIds.map(async (runId) => (await reference.run(workflow, { seed: runId }, { runId })).outputs),
      );
      const ledger = await adminQuery<{ event: string; count: string }>(
        url,
        `SELECT event, count(*) FROM "${storeSchema}".ledger GROUP BY event`,
      );
      const counts = Object.fromEntries(ledger.map((row) => [row.event, Number(row.count)]));
      const [{ repeated }] = (await adminQuery<{ repeated: string }>(
        url,
        `SELECT count(*) AS repeated FROM (SELECT run_id, step_id FROM "${storeSchema}".ledger WHERE event = 'done'
           GROUP BY run_id, step_id HAVING count(*) > 1) AS twice`,
      )) as [{ repeated: string }];
      // Runs the paused worker had worked on that other workers finished: its runs were taken over.
      const [{ taken }] = (await adminQuery<{ taken: string }>(
        url,
        `SELECT count(DISTINCT run_id) AS taken FROM "${storeSchema}".ledger AS mine WHERE pid = $1 AND EXISTS
           (SELECT 1 FROM "${storeSchema}".ledger AS other WHERE other.run_id = mine.run_id AND other.pid <> $1
              AND other.step_id = 's5' AND other.event = 'done')`,
        [paused?.child.pid ?? -1],
      )) as [{ taken: string }];
      const store = new PostgresCheckpointStore({ connectionString: url, schema: storeSchema });
      const report = await store.verify();
      await store.close();

      console.info(
        `[worker storm] ${RUNS} runs on ${WORKERS} workers (${workers.length} processes spawned), ${kills} SIGKILLs, ` +
          `1 SIGSTOP of ${pauseMs} ms (${taken} of its runs finished by other workers); ${counts.done ?? 0} step completions for ${RUNS * 5} steps ` +
          `(${repeated} steps finished twice: killed after finishing, before the checkpoint), ` +
          `${counts.violation ?? 0} checkpointed steps started again; ${Date.now() - startedAt} ms`,
      );
      expect(kills).toBe(KILLS);
      expect(pauseMs).toBeGreaterThanOrEqual((HEARTBEAT_S + 4) * 1000);
      expect(Number(taken)).toBeGreaterThan(0);
      expect([...results.values()].map((result) => result.status)).toEqual(Array(RUNS).fill('succeeded'));
      expect(runIds.map((runId) => results.get(runId)!.outputs)).toEqual(expected);
      expect(counts.violation ?? 0).toBe(0);
      expect(report.ok).toBe(true);
      expect(report.runs.filter((run) => run.runId.startsWith('storm-'))).toHaveLength(RUNS);
    }, 240_000);
  });
}
