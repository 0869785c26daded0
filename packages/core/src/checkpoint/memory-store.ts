import { CheckpointConflictError } from '../errors/errors.js';
import { assertValidRunId } from './run-id.js';
import { summarizeRun } from './summarize.js';
import type { CheckpointRecord, CheckpointStore, ListRunsOptions, RunLease, RunOwner, RunSummary } from './types.js';

/** The settled result of every successful append (promises are immutable once resolved, so sharing one is safe). */
const STORED: Promise<void> = Promise.resolve();

/**
 * Keeps records in memory (lost with the process). Records are stored by
 * reference for speed: do not mutate a step's output after returning it.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly runs = new Map<string, CheckpointRecord[]>();
  private readonly owners = new Set<string>();

  /** Stores `record` at once; returns an already-settled promise (one shared resolved promise: no allocation per record). */
  append(record: CheckpointRecord): Promise<void> {
    try {
      let records = this.runs.get(record.runId);
      if (!records) {
        assertValidRunId(record.runId);
        this.runs.set(record.runId, (records = []));
      }
      if (record.seq !== records.length) {
        throw new CheckpointConflictError(
          record.runId,
          `expected seq ${records.length}, got ${record.seq} (another writer appended first)`,
        );
      }
      records.push(record);
      return STORED;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async read(runId: string): Promise<CheckpointRecord[]> {
    assertValidRunId(runId);
    return [...(this.runs.get(runId) ?? [])];
  }

  async listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    const summaries: RunSummary[] = [];
    for (const records of this.runs.values()) {
      const summary = summarizeRun(records);
      if (!summary) continue;
      if (options.status && summary.status !== options.status) continue;
      if (options.workflow && summary.workflow.name !== options.workflow) continue;
      summaries.push(summary);
    }
    return summaries.sort((a, b) => a.startedAt - b.startedAt || a.runId.localeCompare(b.runId));
  }

  async deleteRun(runId: string): Promise<void> {
    assertValidRunId(runId);
    this.runs.delete(runId);
  }

  /** The in-process owner of the run (always alive: it dies with the records), or `undefined` when nobody holds it. */
  async ownerOf(runId: string): Promise<RunOwner | undefined> {
    assertValidRunId(runId);
    return this.owners.has(runId) ? { alive: true, description: 'an execution in this process' } : undefined;
  }

  acquire(runId: string): Promise<RunLease> {
    try {
      assertValidRunId(runId);
      if (this.owners.has(runId))
        throw new CheckpointConflictError(runId, 'the run is owned by another execution in this process');
    } catch (error) {
      return Promise.reject(error);
    }
    this.owners.add(runId);
    let released = false;
    return Promise.resolve({
      release: () => {
        if (!released) {
          released = true;
          this.owners.delete(runId);
        }
        return STORED;
      },
    });
  }
}
