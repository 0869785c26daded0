import { createHash } from 'node:crypto';
import type {
  ListObjectsPage,
  PutObjectInput,
  PutObjectResult,
  S3ObjectClient,
  StoredObject,
} from '../client/object-client.js';

/** An operation of the fake, as seen by a fault hook. */
export type FakeOperation =
  | { op: 'put'; input: PutObjectInput }
  | { op: 'get'; key: string }
  | { op: 'list'; prefix: string }
  | { op: 'deleteMany'; keys: readonly string[] };

/**
 * What a fault hook decides: nothing (run normally), an error to throw before
 * the operation, or `{ after: error }` to apply the operation and then throw
 * (a response lost on the way back).
 */
export type FaultDecision = undefined | Error | { after: Error };

/** An S3-style error as the AWS SDK shapes it (name + `$metadata.httpStatusCode`). */
export function s3Error(name: string, status: number): Error {
  return Object.assign(new Error(`${name} (${status})`), { name, $metadata: { httpStatusCode: status } });
}

/**
 * An in-memory bucket with S3's conditional-write semantics, ETags, paged
 * listings and fault injection, for unit tests of the store's logic.
 */
export class MemoryObjectClient implements S3ObjectClient {
  readonly objects = new Map<string, StoredObject>();
  readonly calls: FakeOperation[] = [];
  /** Consulted before every operation. */
  fault: ((operation: FakeOperation) => FaultDecision) | undefined;

  constructor(private readonly pageSize = 1000) {}

  async put(input: PutObjectInput): Promise<PutObjectResult> {
    return this.run({ op: 'put', input }, () => {
      const current = this.objects.get(input.key);
      if (input.ifNoneMatch && current) return { ok: false, reason: 'precondition_failed' };
      if (input.ifMatch !== undefined && current?.etag !== input.ifMatch)
        return { ok: false, reason: 'precondition_failed' };
      const etag = `"${createHash('md5').update(input.body).digest('hex')}"`;
      this.objects.set(input.key, { body: input.body, etag });
      return { ok: true, etag };
    });
  }

  async get(key: string): Promise<StoredObject | undefined> {
    return this.run({ op: 'get', key }, () => {
      const object = this.objects.get(key);
      return object && { ...object };
    });
  }

  async list(prefix: string, nextToken?: string): Promise<ListObjectsPage> {
    return this.run({ op: 'list', prefix }, () => {
      const keys = [...this.objects.keys()]
        .filter((key) => key.startsWith(prefix) && (nextToken === undefined || key > nextToken))
        .sort();
      const page = keys.slice(0, this.pageSize);
      return keys.length > this.pageSize ? { keys: page, nextToken: page[page.length - 1]! } : { keys: page };
    });
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    if (keys.length > 1000) throw s3Error('MalformedXML', 400);
    return this.run({ op: 'deleteMany', keys }, () => {
      for (const key of keys) this.objects.delete(key);
    });
  }

  /** Replaces an object's body behind the store's back (to test corruption handling). */
  tamper(key: string, edit: (body: string) => string): void {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no object ${key}`);
    this.objects.set(key, { body: edit(object.body), etag: `"tampered-${Math.random()}"` });
  }

  private async run<T>(operation: FakeOperation, apply: () => T): Promise<T> {
    this.calls.push(operation);
    await Promise.resolve(); // never complete synchronously, like a real client
    const decision = this.fault?.(operation);
    if (decision instanceof Error) throw decision;
    const result = apply();
    if (decision) throw decision.after;
    return result;
  }
}
