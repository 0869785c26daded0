import {
  backoffDelay,
  CheckpointStoreError,
  classifyError,
  httpStatusOf,
  type ErrorClassification,
  type ResolvedRetryPolicy,
} from '@baton/core';

const THROTTLING = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);
// 409 ConditionalRequestConflict is AWS saying "two conditional writes raced, try again".
const TRANSIENT = new Set([
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'ConditionalRequestConflict',
  'OperationAborted',
]);
const DENIED = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AllAccessDisabled',
  'ExpiredToken',
  'InvalidToken',
]);

/**
 * Classifies S3 error codes that the status code alone gets wrong (409 conflicts) or
 * does not carry (per-key `DeleteObjects` errors). Looks at `name`, then `code`.
 */
export function classifyS3Error(error: unknown): ErrorClassification | undefined {
  // 501 is a server saying it does not implement the request (e.g. conditional PUT): retrying cannot help.
  if (nameOf(error) === 'NotImplemented' || httpStatusOf(error) === 501) return { kind: 'fatal' };
  const code = (error as { code?: unknown } | null)?.code;
  for (const candidate of [nameOf(error), typeof code === 'string' ? code : undefined]) {
    if (candidate === undefined) continue;
    if (THROTTLING.has(candidate)) return { kind: 'rate_limited' };
    if (TRANSIENT.has(candidate)) return { kind: 'retryable' };
  }
  return undefined;
}

/** What `S3Caller` needs to know. */
export interface S3CallerOptions {
  bucket: string;
  prefix: string;
  retry: ResolvedRetryPolicy;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

/**
 * Runs one S3 operation with core's retry policy: transient failures (5xx,
 * throttling, timeouts, network errors) are retried with backoff; anything else,
 * or the last failure, becomes a `CheckpointStoreError` naming the bucket and key.
 */
export class S3Caller {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: S3CallerOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** `fn` receives the attempt number (1-based) so callers can tell a first try from a repeat. */
  async call<T>(operation: string, key: string, fn: (attempt: number) => Promise<T>): Promise<T> {
    const { retry } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (error) {
        const verdict = classifyError(error, { classifiers: [classifyS3Error], unknownKind: 'fatal' });
        const transient = verdict.kind === 'retryable' || verdict.kind === 'rate_limited' || verdict.kind === 'timeout';
        if (!transient || attempt >= retry.maxAttempts) throw this.failure(operation, key, error, attempt, transient);
        await this.sleep(this.delay(verdict, attempt));
      }
    }
  }

  private delay(verdict: ErrorClassification, attempt: number): number {
    const { retry } = this.options;
    if (verdict.retryAfterMs !== undefined) return Math.min(verdict.retryAfterMs, retry.maxRetryAfterMs);
    return backoffDelay(retry, attempt, this.random);
  }

  private failure(
    operation: string,
    key: string,
    error: unknown,
    attempts: number,
    transient: boolean,
  ): CheckpointStoreError {
    const { bucket, prefix } = this.options;
    const name = nameOf(error) ?? 'Error';
    const status = httpStatusOf(error);
    const where = `s3://${bucket}/${key}`;
    const scope = `bucket '${bucket}' (prefix '${prefix}')`;
    let message: string;
    if (name === 'NotImplemented' || status === 501) {
      message = `S3 ${operation} of ${where} failed: the server does not implement it (${name}${status ? ` ${status}` : ''}); ${scope} needs an S3 server with conditional writes (If-None-Match / If-Match on PutObject)`;
    } else if (name === 'NoSuchBucket') message = `S3 ${operation} of ${where} failed: ${scope} does not exist`;
    else if (DENIED.has(name) || status === 403) {
      message = `S3 ${operation} of ${where} was denied (${name}): check the credentials and that they may read, write, list and delete in ${scope}`;
    } else if (status === 301 || name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed') {
      message = `S3 ${operation} of ${where} failed (${name}): ${scope} is probably in another region than the client's`;
    } else {
      const detail = error instanceof Error ? error.message : String(error);
      message = `S3 ${operation} of ${where} failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (${name}${status ? ` ${status}` : ''}): ${detail}`;
    }
    return new CheckpointStoreError(message, { cause: error, kind: transient ? 'retryable' : 'fatal' });
  }
}

function nameOf(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== 'Error' ? name : undefined;
}
