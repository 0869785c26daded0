import {
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  compareWritesSortKeys,
  maxChannelVersion,
  type SerializerProtocol,
  TASKS,
  writesSortKey,
} from '@langchain/langgraph-checkpoint';
import { type CheckpointPayload, decodeValue, type SerializedValue } from './records.js';
import { blobKey, type StoredWrite, type ThreadIndex, writesKey } from './thread-index.js';

const load = (serde: SerializerProtocol, value: SerializedValue): Promise<unknown> =>
  serde.loadsTyped(...decodeValue(value));

/** A stored checkpoint's metadata, deserialized. */
export async function loadMetadata(serde: SerializerProtocol, payload: CheckpointPayload): Promise<CheckpointMetadata> {
  return (await load(serde, payload.metadata)) as CheckpointMetadata;
}

/** The writes stored for one checkpoint, in `writesSortKey` order (the order live execution applies them in). */
function orderedWrites(index: ThreadIndex, ns: string, checkpointId: string): StoredWrite[] {
  const writes = [...(index.writes.get(writesKey(ns, checkpointId))?.values() ?? [])];
  const keyed = writes.map((write) => ({ write, key: writesSortKey(write.taskPath, write.taskId, write.idx) }));
  keyed.sort((a, b) => compareWritesSortKeys(a.key, b.key));
  return keyed.map(({ write }) => write);
}

/** Rebuilds `channel_values` from the values stored at each channel's current version. */
async function loadChannelValues(
  serde: SerializerProtocol,
  index: ThreadIndex,
  ns: string,
  checkpoint: Checkpoint,
): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const [channel, version] of Object.entries(checkpoint.channel_versions ?? {})) {
    const blob = index.blobs.get(blobKey(ns, channel, version));
    if (blob?.value) values[channel] = await load(serde, blob.value);
  }
  return values;
}

/**
 * Checkpoints older than format 4 kept pending sends as writes to the TASKS
 * channel of their parent; LangGraph expects them in `channel_values` (as
 * `MemorySaver` migrates them).
 */
async function migratePendingSends(
  serde: SerializerProtocol,
  index: ThreadIndex,
  ns: string,
  checkpoint: Checkpoint,
  parentId: string,
): Promise<void> {
  const sends = orderedWrites(index, ns, parentId).filter((write) => write.channel === TASKS);
  checkpoint.channel_values[TASKS] = await Promise.all(sends.map((write) => load(serde, write.value)));
  const versions = Object.values(checkpoint.channel_versions);
  checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : 1;
}

/** The `CheckpointTuple` of one stored checkpoint: values, metadata, pending writes and parent. */
export async function loadTuple(
  serde: SerializerProtocol,
  index: ThreadIndex,
  payload: CheckpointPayload,
  metadata: CheckpointMetadata,
): Promise<CheckpointTuple> {
  const { ns, id, parentId } = payload;
  const checkpoint = (await load(serde, payload.checkpoint)) as Checkpoint;
  checkpoint.channel_versions ??= {};
  checkpoint.channel_values = await loadChannelValues(serde, index, ns, checkpoint);
  if (checkpoint.v < 4 && parentId !== undefined) await migratePendingSends(serde, index, ns, checkpoint, parentId);
  const pendingWrites: CheckpointPendingWrite[] = await Promise.all(
    orderedWrites(index, ns, id).map(
      async (write): Promise<CheckpointPendingWrite> => [write.taskId, write.channel, await load(serde, write.value)],
    ),
  );
  const tuple: CheckpointTuple = {
    config: { configurable: { thread_id: index.threadId, checkpoint_ns: ns, checkpoint_id: id } },
    checkpoint,
    metadata,
    pendingWrites,
  };
  if (parentId !== undefined) {
    tuple.parentConfig = { configurable: { thread_id: index.threadId, checkpoint_ns: ns, checkpoint_id: parentId } };
  }
  return tuple;
}
