import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { httpStatusOf } from '@baton/core';
import type {
  ListObjectsPage,
  PutObjectInput,
  PutObjectResult,
  S3ObjectClient,
  StoredObject,
} from './object-client.js';

/** Options of `AwsSdkObjectClient`. */
export interface AwsSdkObjectClientOptions {
  /** The SDK client to send commands with. Its lifetime is the caller's. */
  client: S3Client;
  bucket: string;
  /**
   * Send `If-Match` ETags with their surrounding quotes, exactly as S3 returned them.
   * Off by default because Ceph radosgw (and DigitalOcean Spaces) compare the raw
   * string and only match the unquoted form, which AWS S3 accepts too.
   * @default false
   */
  quoteIfMatch?: boolean;
}

/** `S3ObjectClient` over `@aws-sdk/client-s3`. */
export class AwsSdkObjectClient implements S3ObjectClient {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly quoteIfMatch: boolean;

  constructor(options: AwsSdkObjectClientOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.quoteIfMatch = options.quoteIfMatch ?? false;
  }

  async put(input: PutObjectInput): Promise<PutObjectResult> {
    const ifMatch =
      input.ifMatch === undefined ? undefined : this.quoteIfMatch ? quoted(input.ifMatch) : unquoted(input.ifMatch);
    try {
      const output = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: input.key,
          Body: input.body,
          ContentType: 'application/json',
          IfNoneMatch: input.ifNoneMatch ? '*' : undefined,
          IfMatch: ifMatch,
        }),
      );
      return { ok: true, etag: output.ETag ?? '' };
    } catch (error) {
      if (isPreconditionFailure(error, input.ifMatch !== undefined))
        return { ok: false, reason: 'precondition_failed' };
      throw error;
    }
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const output = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = (await output.Body?.transformToString('utf-8')) ?? '';
      return { body, etag: output.ETag ?? '' };
    } catch (error) {
      if (errorName(error) === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async list(prefix: string, nextToken?: string): Promise<ListObjectsPage> {
    const output = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: nextToken }),
    );
    const keys = (output.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
    return output.IsTruncated && output.NextContinuationToken
      ? { keys, nextToken: output.NextContinuationToken }
      : { keys };
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const output = await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.bucket,
        Delete: { Objects: keys.map((key) => ({ Key: key })), Quiet: true },
      }),
    );
    const failed = (output.Errors ?? []).filter((entry) => entry.Code !== 'NoSuchKey');
    if (failed.length > 0) throw new DeleteObjectsFailedError(failed);
  }
}

/** Some keys of a `DeleteObjects` batch were not deleted; carries the first failure's S3 code. */
class DeleteObjectsFailedError extends Error {
  readonly code: string | undefined;
  constructor(readonly failures: { Key?: string; Code?: string; Message?: string }[]) {
    const first = failures[0];
    super(
      `DeleteObjects failed for ${failures.length} key(s), first: ${first?.Key} (${first?.Code}: ${first?.Message})`,
    );
    this.name = 'DeleteObjectsFailedError';
    this.code = first?.Code;
  }
}

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

// 412 is the documented answer. With If-Match, a missing object is a failed condition too:
// AWS answers 404 NoSuchKey there while radosgw answers 412.
function isPreconditionFailure(error: unknown, hadIfMatch: boolean): boolean {
  if (errorName(error) === 'PreconditionFailed' || httpStatusOf(error) === 412) return true;
  return (
    hadIfMatch &&
    (errorName(error) === 'NoSuchKey' || httpStatusOf(error) === 404) &&
    errorName(error) !== 'NoSuchBucket'
  );
}

function unquoted(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

function quoted(etag: string): string {
  const bare = unquoted(etag);
  return `"${bare}"`;
}
