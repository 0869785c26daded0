import { isDeepStrictEqual } from 'node:util';
import { BatonError, type CheckpointRecord, type CheckpointStore } from '@baton/core';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  copyCheckpoint,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { readAddress, requireThread } from './configurable.js';
import { LangGraphConfigError } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import { listThreadRuns } from './list-thread-runs.js';
import { loadMetadata, loadTuple } from './load-tuple.js';
import {
  type BlobPayload,
  type CheckpointPayload,
  encodeValue,
  payloadRecord,
  threadStartRecord,
  type WritesPayload,
} from './records.js';
import { indexThread, type ThreadIndex, writeIdx } from './thread-index.js';
import { threadRunId } from './thread-run.js';
import { parseStore } from './saver-options.js';

/** How often an append is retried after another writer took its `seq` (the log is re-read each time). */
const MAX_APPEND_ATTEMPTS = 5;

/** Options of `BatonSaver`. */
export interface BatonSaverOptions {
  /**
   * How checkpoint values are serialized.
   * @default LangGraph's `JsonPlusSerializer`
   */
  serde?: SerializerProtocol;
}

/**
 * A LangGraph.js checkpointer over any Baton `CheckpointStore`: each thread is
 * one Baton run, each `put` and `putWrites` one record appended to it. Durable
 * stores (`FsCheckpointStore`, `S3CheckpointStore`) verify the run's SHA-256
 * chain on every read, so a tampered checkpoint is an error, never returned.
 *
 * Appends to one thread are serialized in this process (LangGraph may call
 * `put` and `putWrites` concurrently); across processes the store's `seq`
 * compare-and-set decides, and a losing append is retried on the new log end.
 */
export class BatonSaver extends BaseCheckpointSaver {
  /** The Baton store holding the threads. */
  readonly store: CheckpointStore;
  private readonly queue = new KeyedQueue();
  /** Record count of each run as last seen by this saver (read once, then kept up to date by its own appends). */
  private readonly nextSeq = new Map<string, number>();

  /** Throws `LangGraphConfigError` when `store` is not a Baton `CheckpointStore`. */
  constructor(store: CheckpointStore, options: BatonSaverOptions = {}) {
    super(options.serde);
    this.store = parseStore(store);
  }

  /**
   * The checkpoint `config` names (`checkpoint_id`), or the thread's latest in
   * its namespace, with its pending writes and parent; `undefined` when there is
   * none or no `thread_id`. Rejects with the store's `CheckpointCorruptedError`
   * when the thread's chain does not verify.
   */
  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { threadId, checkpointNs = '', checkpointId } = readAddress(config);
    if (threadId === undefined) return undefined;
    const index = await this.loadThread(threadRunId(threadId), threadId);
    const byId = index?.checkpoints.get(checkpointNs);
    if (!index || !byId) return undefined;
    const id = checkpointId ?? latest(byId.keys());
    const payload = id === undefined ? undefined : byId.get(id);
    if (!payload) return undefined;
    return loadTuple(this.serde, index, payload, await loadMetadata(this.serde, payload));
  }

  /**
   * The checkpoints of one thread (`thread_id` given) or of every thread in the
   * store, newest first per namespace, narrowed by `checkpoint_ns`,
   * `checkpoint_id`, `options.filter` (metadata, deep equality), `before` and `limit`.
   */
  override async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { threadId, checkpointNs, checkpointId } = readAddress(config);
    const before = options.before ? readAddress(options.before).checkpointId : undefined;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    for await (const index of this.threads(threadId)) {
      for (const [ns, byId] of index.checkpoints) {
        if (checkpointNs !== undefined && ns !== checkpointNs) continue;
        for (const id of [...byId.keys()].sort().reverse()) {
          if ((checkpointId !== undefined && id !== checkpointId) || (before !== undefined && id >= before)) continue;
          const payload = byId.get(id)!;
          const metadata = await loadMetadata(this.serde, payload);
          if (!matches(metadata, options.filter)) continue;
          if (remaining <= 0) return;
          remaining -= 1;
          yield await loadTuple(this.serde, index, payload, metadata);
        }
      }
    }
  }

  /**
   * Appends one checkpoint record to the thread's run, with the values of the
   * channels in `newVersions`; resolves once the store has made it durable.
   */
  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const { threadId, checkpointNs = '', checkpointId: parentId } = requireThread(config, 'put');
    const stored = copyCheckpoint(checkpoint);
    const values = stored.channel_values;
    // Like LangGraph's Postgres saver: only the channels this step changed are stored; the others are
    // read back from the record that stored their current version.
    stored.channel_values = {};
    const blobs: BlobPayload[] = [];
    for (const [channel, version] of Object.entries(newVersions)) {
      const value = channel in values ? await this.encode(values[channel]) : undefined;
      blobs.push(value === undefined ? { channel, version } : { channel, version, value });
    }
    const payload: CheckpointPayload = {
      kind: 'checkpoint',
      ns: checkpointNs,
      id: checkpoint.id,
      ...(parentId === undefined ? {} : { parentId }),
      checkpoint: await this.encode(stored),
      metadata: await this.encode(metadata),
      blobs,
    };
    await this.append(threadId, payload);
    return { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
  }

  /** Appends one record holding a task's pending writes for the checkpoint `config` names. */
  override async putWrites(
    config: RunnableConfig,
    writes: PendingWrite[],
    taskId: string,
    taskPath = '',
  ): Promise<void> {
    const { threadId, checkpointNs = '', checkpointId } = requireThread(config, 'putWrites');
    if (checkpointId === undefined) {
      throw new LangGraphConfigError('checkpoint_id', 'putWrites needs configurable.checkpoint_id (got none)');
    }
    const payload: WritesPayload = {
      kind: 'writes',
      ns: checkpointNs,
      checkpointId,
      taskId,
      taskPath,
      writes: await Promise.all(
        writes.map(async ([channel, value], position) => ({
          idx: writeIdx(channel, position),
          channel,
          value: await this.encode(value),
        })),
      ),
    };
    await this.append(threadId, payload);
  }

  /** Deletes the thread's run, with every namespace, checkpoint and write in it. */
  override async deleteThread(threadId: string): Promise<void> {
    const runId = threadRunId(requireThread({ configurable: { thread_id: threadId } }, 'deleteThread').threadId);
    await this.queue.run(runId, async () => {
      this.nextSeq.delete(runId);
      await this.store.deleteRun(runId);
    });
  }

  private async encode(value: unknown) {
    const [type, bytes] = await this.serde.dumpsTyped(value);
    return encodeValue(type, bytes);
  }

  /** Every thread (`threadId` undefined) or the one named, rebuilt from its verified records. */
  private async *threads(threadId: string | undefined): AsyncGenerator<ThreadIndex> {
    if (threadId !== undefined) {
      const index = await this.loadThread(threadRunId(threadId), threadId);
      if (index) yield index;
      return;
    }
    for (const runId of await listThreadRuns(this.store)) {
      const index = await this.loadThread(runId);
      if (index) yield index;
    }
  }

  private loadThread(runId: string, threadId?: string): Promise<ThreadIndex | undefined> {
    return this.queue.run(runId, async () => indexThread(runId, await this.readRun(runId), threadId));
  }

  /** Reads a run's records (the store verifies them) and remembers where its log ends. Call inside the queue. */
  private async readRun(runId: string): Promise<CheckpointRecord[]> {
    const records = await this.store.read(runId);
    this.nextSeq.set(runId, records.length);
    return records;
  }

  /** Appends one payload to a thread's run, starting the run first if it is new. */
  private append(threadId: string, payload: CheckpointPayload | WritesPayload): Promise<void> {
    const runId = threadRunId(threadId);
    return this.queue.run(runId, async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.appendOnce(runId, threadId, payload);
        } catch (error) {
          this.nextSeq.delete(runId);
          const conflict = BatonError.isInstance(error) && error.code === 'BATON_CHECKPOINT_CONFLICT';
          if (!conflict || attempt >= MAX_APPEND_ATTEMPTS) throw error;
        }
      }
    });
  }

  private async appendOnce(runId: string, threadId: string, payload: CheckpointPayload | WritesPayload): Promise<void> {
    let seq = this.nextSeq.get(runId);
    // A run this saver has not read yet: check it is this thread's before adding to it.
    if (seq === undefined) {
      const records = await this.readRun(runId);
      indexThread(runId, records, threadId);
      seq = records.length;
    }
    const at = Date.now();
    if (seq === 0) {
      await this.store.append(threadStartRecord(runId, threadId, at));
      this.nextSeq.set(runId, (seq = 1));
    }
    await this.store.append(payloadRecord(runId, seq, at, payload));
    this.nextSeq.set(runId, seq + 1);
  }
}

/** The greatest checkpoint id (uuid6 ids sort by creation time). */
function latest(ids: Iterable<string>): string | undefined {
  let max: string | undefined;
  for (const id of ids) if (max === undefined || id > max) max = id;
  return max;
}

/** True when every filter entry equals the metadata's value for that key (deep equality for objects). */
function matches(metadata: CheckpointMetadata, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  const record = metadata as Record<string, unknown>;
  return Object.entries(filter).every(([key, value]) => isDeepStrictEqual(record[key], value));
}
