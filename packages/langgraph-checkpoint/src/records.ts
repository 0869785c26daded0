import { createHash } from 'node:crypto';
import { CHECKPOINT_FORMAT_VERSION, type RunStartedRecord, type StepRecord, type WorkflowIdentity } from '@baton/core';
import { z } from 'zod';

/** Format tag of the payloads `BatonSaver` writes; bump it when their shape changes. */
export const SAVER_FORMAT = 'baton.langgraph/v1';

/** The workflow identity on every record of a thread's run (also how `list` tells thread runs from workflow runs). */
export const SAVER_WORKFLOW: WorkflowIdentity = Object.freeze({
  name: '@baton/langgraph-checkpoint',
  version: '1',
  hash: createHash('sha256').update(SAVER_FORMAT).digest('hex'),
});

/** `stepId` of a record holding one checkpoint (with the channel values it changed). */
export const CHECKPOINT_STEP = 'langgraph.checkpoint';
/** `stepId` of a record holding one `putWrites` call. */
export const WRITES_STEP = 'langgraph.writes';

/**
 * One value as LangGraph's serializer produced it: `text` when the bytes are
 * UTF-8 (the JSON serializer's output, kept readable in the log), else `base64`.
 */
const serializedSchema = z.union([
  z.object({ type: z.string(), text: z.string() }).strict(),
  z.object({ type: z.string(), base64: z.string() }).strict(),
]);
/** A serialized value. */
export type SerializedValue = z.infer<typeof serializedSchema>;

const versionSchema = z.union([z.string(), z.number()]);

/** The `input` of a thread run's `run.started` record. */
export const threadStartSchema = z.object({ format: z.literal(SAVER_FORMAT), threadId: z.string() }).strict();

/** One channel value at one version; `value` is absent when the channel was emptied. */
const blobSchema = z
  .object({ channel: z.string(), version: versionSchema, value: serializedSchema.optional() })
  .strict();
/** A stored channel value. */
export type BlobPayload = z.infer<typeof blobSchema>;

/** The `output` of a checkpoint record: the checkpoint without its channel values, plus the values it changed. */
export const checkpointPayloadSchema = z
  .object({
    kind: z.literal('checkpoint'),
    ns: z.string(),
    id: z.string(),
    parentId: z.string().optional(),
    checkpoint: serializedSchema,
    metadata: serializedSchema,
    blobs: z.array(blobSchema),
  })
  .strict();
/** A stored checkpoint. */
export type CheckpointPayload = z.infer<typeof checkpointPayloadSchema>;

const writeSchema = z.object({ idx: z.number().int(), channel: z.string(), value: serializedSchema }).strict();
/** One stored pending write. */
export type WritePayload = z.infer<typeof writeSchema>;

/** The `output` of a writes record: one `putWrites` call. */
export const writesPayloadSchema = z
  .object({
    kind: z.literal('writes'),
    ns: z.string(),
    checkpointId: z.string(),
    taskId: z.string(),
    taskPath: z.string(),
    writes: z.array(writeSchema),
  })
  .strict();
/** A stored `putWrites` call. */
export type WritesPayload = z.infer<typeof writesPayloadSchema>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Stores serializer output in JSON: as text when it is valid UTF-8, else base64. */
export function encodeValue(type: string, bytes: Uint8Array): SerializedValue {
  try {
    return { type, text: utf8.decode(bytes) };
  } catch {
    return { type, base64: Buffer.from(bytes).toString('base64') };
  }
}

/** What `serde.loadsTyped` takes back: the type and the original bytes (or text). */
export function decodeValue(value: SerializedValue): [string, string | Uint8Array] {
  return 'text' in value ? [value.type, value.text] : [value.type, new Uint8Array(Buffer.from(value.base64, 'base64'))];
}

/** The first record of a thread's run: names the thread, so `list` can report it and a mismatch is caught. */
export function threadStartRecord(runId: string, threadId: string, at: number): RunStartedRecord {
  return {
    v: CHECKPOINT_FORMAT_VERSION,
    type: 'run.started',
    runId,
    seq: 0,
    at,
    workflow: SAVER_WORKFLOW,
    input: { format: SAVER_FORMAT, threadId },
  };
}

/** A step record carrying one saver payload. */
export function payloadRecord(
  runId: string,
  seq: number,
  at: number,
  payload: CheckpointPayload | WritesPayload,
): StepRecord {
  return {
    v: CHECKPOINT_FORMAT_VERSION,
    type: 'step',
    runId,
    seq,
    at,
    workflow: SAVER_WORKFLOW,
    stepId: payload.kind === 'checkpoint' ? CHECKPOINT_STEP : WRITES_STEP,
    status: 'succeeded',
    attempt: 1,
    durationMs: 0,
    output: payload,
  };
}
