/** What one durable measurement (one engine, one sample) produced. */
export interface DurableSample {
  /** Wall-clock time of the runs, from start until every run resolved, in ms. */
  ms: number;
  /** Records on disk afterwards: log lines (Baton, floor) or rows in `checkpoints` + `writes` (LangGraph). */
  records: number;
  /**
   * Durable commits: `fdatasync`/`fsync` calls (Baton, floor) or SQLite write transactions
   * (LangGraph; with `synchronous=FULL` each commit syncs the WAL).
   */
  commits: number;
}

/** `lines` bytes of each run's log: what the floor writes. */
export type RunLines = readonly Buffer[];
