import { CheckpointConflictError } from '../errors/errors.js';
import { assertValidRunId } from './run-id.js';
import { summarizeRun } from './summarize.js';
import type { CheckpointRecord, CheckpointStore, ListRunsOptions, RunLease, RunSummary } from './types.js';

/**
 * Keeps records in memory (lost with the process). Records are stored by
 * reference for speed: do not mutate a step's output after returning it.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly runs = new Map<string, CheckpointRecord[]>();
  private readonly owners = new Set<string>();

  async append(record: CheckpointRecord): Promise<void> {
    let records = this.runs.get(record.runId);
    if (!records) {
      assertValidRunId(record.runId);
      this.runs.set(record.runId, (records = []));
    }
    if (record.seq !== records.length) {
      throw new CheckpointConflictError(record.runId, `expected seq ${records.length}, got ${record.seq} (another writer appended first)`);
    }
    records.push(record);
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

  async acquire(runId: string): Promise<RunLease> {
    assertValidRunId(runId);
    if (this.owners.has(runId)) throw new CheckpointConflictError(runId, 'the run is owned by another execution in this process');
    this.owners.add(runId);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.owners.delete(runId);
      },
    };
  }
}
