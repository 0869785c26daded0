import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const FIXTURE = fileURLToPath(new URL('../__fixtures__/worker-process.mjs', import.meta.url));

/** A worker child process of the integration tests. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker takes jobs; rejects if it exits first. */
  ready: Promise<void>;
  isReady: () => boolean;
  exited: Promise<void>;
}

/** Spawns `__fixtures__/worker-process.mjs` with the given schemas. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let ready = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const readyPromise = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        ready = true;
        resolve();
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited (${code ?? signal}) before ready: ${stderr}`)),
    );
  });
  readyPromise.catch(() => {}); // a worker killed while starting is expected in the storm
  return {
    child,
    ready: readyPromise,
    isReady: () => ready && child.exitCode === null && child.signalCode === null,
    exited,
  };
}

/** Creates the ledger table the fixture workflow writes to. */
export async function createLedger(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".ledger (id bigserial PRIMARY KEY, run_id text NOT NULL, step_id text NOT NULL,
         event text NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
  } finally {
    await client.end();
  }
}

/** Polls (bounded) until `probe` returns a value. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
