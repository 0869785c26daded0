/** Result of a conditional write: the new ETag, or `precondition_failed` when the condition did not hold. */
export type PutObjectResult = { ok: true; etag: string } | { ok: false; reason: 'precondition_failed' };

/** One write. At most one of `ifNoneMatch` / `ifMatch` is set. */
export interface PutObjectInput {
  key: string;
  body: string;
  /** Write only if no object exists under `key` (`If-None-Match: *`). */
  ifNoneMatch?: boolean;
  /** Write only if the current object's ETag equals this one (`If-Match`). A missing object fails the condition. */
  ifMatch?: string;
}

/** An object read back. */
export interface StoredObject {
  body: string;
  etag: string;
}

/** One page of a prefix listing, keys in ascending (UTF-8 binary) order. */
export interface ListObjectsPage {
  keys: string[];
  /** Pass back to `list` for the next page; absent on the last page. */
  nextToken?: string;
}

/**
 * The four object operations `S3CheckpointStore` needs, over one bucket.
 * `AwsSdkObjectClient` binds it to `@aws-sdk/client-s3`; tests use an in-memory fake.
 *
 * Implementations throw the backend's own errors for failures other than a
 * failed precondition or a missing object: the store classifies and retries them.
 */
export interface S3ObjectClient {
  /** Writes an object, honouring the condition. */
  put(input: PutObjectInput): Promise<PutObjectResult>;
  /** Reads an object, or `undefined` when it does not exist. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Lists keys under `prefix`. */
  list(prefix: string, nextToken?: string): Promise<ListObjectsPage>;
  /** Deletes up to 1,000 keys; missing keys are not an error. */
  deleteMany(keys: readonly string[]): Promise<void>;
}
