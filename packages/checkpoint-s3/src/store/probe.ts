import { randomUUID } from 'node:crypto';
import { CheckpointStoreError } from '@baton/core';
import type { S3CheckpointStoreOptionsWithDefaults } from './options.js';
import { locationOf, putConditional, type StoreContext } from './context.js';

/**
 * The server at `endpoint` does not honour conditional writes (it ignored
 * `If-None-Match: *` or `If-Match`, or answered 501), so the store cannot
 * guarantee one owner per run and refuses to write. Code `BATON_CHECKPOINT_STORE`, fatal.
 */
export class ConditionalWritesUnsupportedError extends CheckpointStoreError {
  constructor(
    readonly endpoint: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      `The S3 server at ${endpoint} does not honour conditional writes (${reason}); @baton/checkpoint-s3 needs If-None-Match: * and If-Match on PutObject to keep one writer per run and refuses to run on it`,
      { cause: options.cause, kind: 'fatal' },
    );
  }
}

/**
 * Checks, with writes that a conforming server must refuse, that it honours
 * `If-None-Match: *` and `If-Match`. Uses one object under the store's prefix,
 * `<prefix>probe/conditional-writes.json`, which it leaves in place (any number
 * of stores may probe at once: each refused write changes nothing).
 */
export async function probeConditionalWrites(context: StoreContext, endpoint: () => Promise<string>): Promise<void> {
  const key = `${context.keys.prefix}probe/conditional-writes.json`;
  const body = (step: string): string => JSON.stringify({ v: 1, probe: step, id: randomUUID() });
  try {
    // Creates the object, or finds it there from an earlier probe; either way it exists afterwards.
    await putConditional(context, { key, body: body('create'), ifNoneMatch: true });
    const again = await putConditional(context, { key, body: body('if-none-match'), ifNoneMatch: true });
    if (again.ok)
      throw new ConditionalWritesUnsupportedError(
        await endpoint(),
        `a PutObject with If-None-Match: * on the existing ${locationOf(context, key)} succeeded`,
      );
    const stale = await putConditional(context, { key, body: body('if-match'), ifMatch: `"${'0'.repeat(32)}"` });
    if (stale.ok)
      throw new ConditionalWritesUnsupportedError(
        await endpoint(),
        `a PutObject with an If-Match ETag that matches nothing on ${locationOf(context, key)} succeeded`,
      );
  } catch (error) {
    if (error instanceof ConditionalWritesUnsupportedError) throw error;
    if (isNotImplemented(error))
      throw new ConditionalWritesUnsupportedError(
        await endpoint(),
        'a conditional PutObject was answered 501 NotImplemented',
        { cause: error },
      );
    throw error;
  }
}

function isNotImplemented(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const { name, $metadata } = current as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
    if (name === 'NotImplemented' || $metadata?.httpStatusCode === 501) return true;
  }
  return false;
}

/** A human-readable name of the server the store talks to, for configuration errors. */
export async function describeEndpoint(options: S3CheckpointStoreOptionsWithDefaults): Promise<string> {
  const bucket = `bucket '${options.bucket}'`;
  if (options.objectClient) return `${bucket} (through a custom objectClient)`;
  const configured = options.clientConfig?.endpoint ?? undefined;
  if (typeof configured === 'string' || configured instanceof URL) return `${String(configured)} (${bucket})`;
  try {
    const resolved = await (options.client ?? undefined)?.config.endpoint?.();
    if (resolved)
      return `${resolved.protocol}//${resolved.hostname}${resolved.port ? `:${resolved.port}` : ''}${resolved.path} (${bucket})`;
  } catch {
    // Falls through to the region.
  }
  const region = options.clientConfig?.region ?? options.client?.config.region;
  return `AWS S3${typeof region === 'string' ? ` in ${region}` : ''} (${bucket})`;
}
