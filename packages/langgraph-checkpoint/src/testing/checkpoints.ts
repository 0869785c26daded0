import type { Checkpoint, CheckpointMetadata } from '@langchain/langgraph-checkpoint';
import { emptyCheckpoint, uuid6 } from '@langchain/langgraph-checkpoint';

/** A checkpoint holding `values` at version 1, with a fresh uuid6 id. */
export function checkpointWith(values: Record<string, unknown>): Checkpoint {
  const checkpoint = emptyCheckpoint();
  checkpoint.id = uuid6(-1);
  checkpoint.channel_values = values;
  checkpoint.channel_versions = Object.fromEntries(Object.keys(values).map((key) => [key, 1]));
  return checkpoint;
}

/** The versions to pass to `put` so that every channel of `checkpoint` is stored. */
export const allVersions = (checkpoint: Checkpoint) => ({ ...checkpoint.channel_versions });

/** Loop metadata for step `step`. */
export const loopMetadata = (step: number): CheckpointMetadata => ({ source: 'loop', step, parents: {} });
