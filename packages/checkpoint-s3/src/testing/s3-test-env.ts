import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describe, it } from 'vitest';
import { s3OptionsFromEnv, type S3EnvOptions } from '../env.js';
import { S3CheckpointStore } from '../store/s3-checkpoint-store.js';
import type { S3CheckpointStoreOptions } from '../store/options.js';

const HOW =
  'start the server with `bash scripts/s3-up.sh` (it writes .s3/env, read by these tests) or export BATON_S3_*';

/** True under CI, where a missing service must fail the run rather than skip. */
const inCi = (): boolean => ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

/** The repo's `.s3/env` (written by scripts/s3-up.sh) as variables; `{}` if absent. */
function readRepoS3Env(): Record<string, string> {
  const file = fileURLToPath(new URL('../../../../.s3/env', import.meta.url));
  if (!existsSync(file)) return {};
  const variables: Record<string, string> = {};
  for (const match of readFileSync(file, 'utf8').matchAll(/^export (BATON_S3_[A-Z_]+)=(.*)$/gm))
    variables[match[1]!] = match[2]!;
  return variables;
}

/**
 * The real S3 server's settings from BATON_S3_*, or else from the repo's `.s3/env`
 * (task runners such as turbo may not pass unknown variables through). Without
 * either the int tests fail under CI (CI=true) and are skipped, with a message, elsewhere.
 */
export function s3TestEnv(): S3EnvOptions | undefined {
  const options = s3OptionsFromEnv() ?? s3OptionsFromEnv(readRepoS3Env());
  if (options) return options;
  if (inCi()) {
    describe('S3 integration server', () => {
      it('is configured through BATON_S3_* (required under CI)', () => {
        throw new Error(`BATON_S3_BUCKET is not set and there is no .s3/env: ${HOW}`);
      });
    });
  } else {
    console.warn(
      `[checkpoint-s3] skipping S3 integration tests: BATON_S3_BUCKET is not set and there is no .s3/env; ${HOW}`,
    );
    describe.skip(`S3 integration tests (no BATON_S3_* and no .s3/env; ${HOW})`, () => {
      it('needs a real S3 server', () => {});
    });
  }
  return undefined;
}

/** A prefix no other test (or test run) uses. */
export function uniquePrefix(label: string): string {
  return `test/${label}/${randomUUID()}/`;
}

/** A store with its own S3 client, as a separate worker would have. */
export function realStore(
  env: S3EnvOptions,
  prefix: string,
  options: Partial<S3CheckpointStoreOptions> = {},
): S3CheckpointStore {
  return new S3CheckpointStore({ bucket: env.bucket, clientConfig: env.clientConfig, prefix, ...options });
}

/** Deletes every object under `prefix` (test cleanup). */
export async function wipePrefix(env: S3EnvOptions, prefix: string): Promise<void> {
  const client = new S3Client(env.clientConfig);
  try {
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: env.bucket, Prefix: prefix }));
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (keys.length === 0) return;
      await client.send(new DeleteObjectsCommand({ Bucket: env.bucket, Delete: { Objects: keys, Quiet: true } }));
    }
  } finally {
    client.destroy();
  }
}
