import type { CheckpointRecord } from '@baton/core';
import { WRITES_IDX_MAP } from '@langchain/langgraph-checkpoint';
import type { z } from 'zod';
import { LangGraphRecordError } from './errors.js';
import {
  type BlobPayload,
  CHECKPOINT_STEP,
  type CheckpointPayload,
  checkpointPayloadSchema,
  SAVER_WORKFLOW,
  threadStartSchema,
  WRITES_STEP,
  type WritePayload,
  writesPayloadSchema,
} from './records.js';

/** One pending write as stored, with the task that made it. */
export interface StoredWrite extends WritePayload {
  taskId: string;
  taskPath: string;
}

/** A thread's state, rebuilt from its run's records (already verified by the store). */
export interface ThreadIndex {
  threadId: string;
  /** Checkpoints by namespace, then by id (a later record for the same id replaces the earlier one). */
  checkpoints: Map<string, Map<string, CheckpointPayload>>;
  /** Pending writes by `writesKey(ns, checkpointId)`, then by `taskId,idx`. */
  writes: Map<string, Map<string, StoredWrite>>;
  /** Channel values by `blobKey(ns, channel, version)`. */
  blobs: Map<string, BlobPayload>;
}

/** Key of the writes of one checkpoint. */
export const writesKey = (ns: string, checkpointId: string): string => JSON.stringify([ns, checkpointId]);
/** Key of one channel value (versions `1` and `'1'` are different keys, as LangGraph compares them by type too). */
export const blobKey = (ns: string, channel: string, version: string | number): string =>
  JSON.stringify([ns, channel, version]);

function parse<T>(schema: z.ZodType<T>, value: unknown, record: CheckpointRecord, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new LangGraphRecordError(record.runId, record.seq, `${what} does not match the saver's format`, {
      cause: result.error,
    });
  }
  return result.data;
}

/**
 * Rebuilds a thread from its run's records. `threadId` is the thread the caller
 * asked for (`undefined` when listing every thread): a run that names another
 * thread, or holds a record the saver did not write, is an error, never skipped.
 */
export function indexThread(runId: string, records: CheckpointRecord[], threadId?: string): ThreadIndex | undefined {
  const first = records[0];
  if (!first) return undefined;
  if (first.type !== 'run.started' || first.workflow.name !== SAVER_WORKFLOW.name) {
    throw new LangGraphRecordError(runId, first.seq, `the run is not a LangGraph thread (first record: ${first.type})`);
  }
  const start = parse(threadStartSchema, first.input, first, 'the run.started input');
  if (threadId !== undefined && start.threadId !== threadId) {
    throw new LangGraphRecordError(
      runId,
      first.seq,
      `the run holds thread ${JSON.stringify(start.threadId)}, not ${JSON.stringify(threadId)}`,
    );
  }
  const index: ThreadIndex = { threadId: start.threadId, checkpoints: new Map(), writes: new Map(), blobs: new Map() };
  for (const record of records.slice(1)) addRecord(index, record);
  return index;
}

function addRecord(index: ThreadIndex, record: CheckpointRecord): void {
  if (record.type === 'step' && record.stepId === CHECKPOINT_STEP) {
    const payload = parse(checkpointPayloadSchema, record.output, record, 'the checkpoint');
    let byId = index.checkpoints.get(payload.ns);
    if (!byId) index.checkpoints.set(payload.ns, (byId = new Map()));
    byId.set(payload.id, payload);
    for (const blob of payload.blobs) index.blobs.set(blobKey(payload.ns, blob.channel, blob.version), blob);
  } else if (record.type === 'step' && record.stepId === WRITES_STEP) {
    const payload = parse(writesPayloadSchema, record.output, record, 'the writes');
    const key = writesKey(payload.ns, payload.checkpointId);
    let byTask = index.writes.get(key);
    if (!byTask) index.writes.set(key, (byTask = new Map()));
    for (const write of payload.writes) {
      const taskKey = `${payload.taskId},${write.idx}`;
      // Like LangGraph's own savers: a regular write is kept once (a retried task does not duplicate it),
      // a special one (error, interrupt: negative idx) is replaced by the latest.
      if (write.idx >= 0 && byTask.has(taskKey)) continue;
      byTask.set(taskKey, { ...write, taskId: payload.taskId, taskPath: payload.taskPath });
    }
  } else {
    throw new LangGraphRecordError(record.runId, record.seq, `unexpected ${record.type} record in a LangGraph thread`);
  }
}

/** The index under which a write is stored: special channels have fixed negative ones. */
export function writeIdx(channel: string, position: number): number {
  return WRITES_IDX_MAP[channel] ?? position;
}
