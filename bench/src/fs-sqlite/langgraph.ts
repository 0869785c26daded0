import { join } from 'node:path';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import type { Shape } from '../core/shapes.js';
import { type LangGraphDurability, timedGraphRuns } from '../durable/graph-runs.js';
import type { DurableSample } from './types.js';

export type { LangGraphDurability } from '../durable/graph-runs.js';

/** The SQLite settings a sample actually ran with, read back from the connection. */
export interface SqliteSettings {
  journalMode: string;
  /** 2 is FULL. */
  synchronous: number;
}

/** The parts of better-sqlite3's `Database` used here (its types are not installed; the saver's `db` is one). */
interface SqliteHandle {
  pragma(source: string, options?: { simple: boolean }): unknown;
  prepare(sql: string): { get(): unknown };
  close(): void;
}

/** `SqliteSaver` counting its write transactions (`put`, and `putWrites` with rows): each is one commit. */
class CountingSqliteSaver extends SqliteSaver {
  commits = 0;

  override async put(...args: Parameters<SqliteSaver['put']>): ReturnType<SqliteSaver['put']> {
    this.commits++;
    return super.put(...args);
  }

  override async putWrites(...args: Parameters<SqliteSaver['putWrites']>): Promise<void> {
    if (args[1].length > 0) this.commits++;
    return super.putWrites(...args);
  }
}

/**
 * A saver on a fresh database file, opened the way LangGraph documents (`fromConnString`;
 * its `setup()` sets `journal_mode=WAL`), plus `synchronous=FULL` on the same connection.
 * Tables are created here, outside any timed region.
 */
export async function openSaver(
  file: string,
): Promise<{ saver: CountingSqliteSaver; db: SqliteHandle; settings: SqliteSettings }> {
  const db = SqliteSaver.fromConnString(file).db as unknown as SqliteHandle;
  db.pragma('synchronous = FULL');
  const saver = new CountingSqliteSaver(db as unknown as SqliteSaver['db']);
  await saver.getTuple({ configurable: { thread_id: 'setup' } });
  const settings = {
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
  };
  if (settings.journalMode !== 'wal' || settings.synchronous !== 2)
    throw new Error(`SQLite not in WAL + synchronous=FULL: ${JSON.stringify(settings)}`);
  return { saver, db, settings };
}

/**
 * `runs` invocations of `shape` started at once (thread `t<i>`, input `i`) on one compiled graph
 * with a `SqliteSaver` in `dir`. `durability: 'sync'` makes each superstep wait for its
 * checkpoint before the next starts (what Baton's fsync store does); `'async'` is LangGraph's default.
 */
export async function langgraphRuns(
  dir: string,
  shape: Shape,
  runs: number,
  durability: LangGraphDurability,
): Promise<DurableSample & { settings: SqliteSettings }> {
  const { saver, db, settings } = await openSaver(join(dir, 'langgraph.sqlite'));
  try {
    const ms = await timedGraphRuns(saver, shape, runs, durability);
    const { n } = db
      .prepare('SELECT (SELECT count(*) FROM checkpoints) + (SELECT count(*) FROM writes) AS n')
      .get() as { n: number };
    return { ms, records: n, commits: saver.commits, settings };
  } finally {
    db.close();
  }
}
