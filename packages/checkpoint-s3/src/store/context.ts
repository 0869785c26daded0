import type { PutObjectInput, PutObjectResult, S3ObjectClient, StoredObject } from '../client/object-client.js';
import type { KeyLayout } from './keys.js';
import type { S3Caller } from './s3-call.js';

/** A non-fatal problem, as reported through `onWarning`. */
export interface S3StoreWarning {
  code: string;
  message: string;
  runId?: string;
}

/** What the store's parts share: the client, the key layout, retries, the clock and the warning sink. */
export interface StoreContext {
  client: S3ObjectClient;
  caller: S3Caller;
  keys: KeyLayout;
  bucket: string;
  readConcurrency: number;
  now: () => number;
  warn: (warning: S3StoreWarning) => void;
}

/** `s3://bucket/key`, for error locations. */
export function locationOf(context: StoreContext, key: string): string {
  return `s3://${context.bucket}/${key}`;
}

/** GetObject with retries. */
export function getObject(context: StoreContext, key: string): Promise<StoredObject | undefined> {
  return context.caller.call('GetObject', key, () => context.client.get(key));
}

/**
 * A conditional PutObject with retries. A retried write is ambiguous: the first
 * attempt may have been applied before its response was lost (radosgw answers
 * 500 under contention), so the retry sees a failed precondition caused by our
 * own write. The object is then read back: if it holds exactly our bytes, the
 * write is ours.
 */
export async function putConditional(context: StoreContext, input: PutObjectInput): Promise<PutObjectResult> {
  let retried = false;
  const result = await context.caller.call('conditional PutObject', input.key, (attempt) => {
    retried = attempt > 1;
    return context.client.put(input);
  });
  if (result.ok || !retried) return result;
  const current = await getObject(context, input.key);
  return current?.body === input.body ? { ok: true, etag: current.etag } : result;
}

/** Every key under `prefix`, all pages, in order. */
export async function listAll(context: StoreContext, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await context.caller.call('ListObjectsV2', prefix, () => context.client.list(prefix, token));
    keys.push(...page.keys);
    token = page.nextToken;
  } while (token !== undefined);
  return keys;
}

/** Maps with at most `limit` calls in flight, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
