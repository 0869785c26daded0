import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type S3EnvOptions, s3OptionsFromEnv } from '@baton/checkpoint-s3';
import { describe, it } from 'vitest';

const HOW = 'start the server with `bash scripts/s3-up.sh` (it writes .s3/env) or export BATON_S3_*';

/** The repo's `.s3/env` (written by scripts/s3-up.sh) as variables; `{}` if absent. */
function readRepoS3Env(): Record<string, string> {
  const file = fileURLToPath(new URL('../../../../.s3/env', import.meta.url));
  if (!existsSync(file)) return {};
  const variables: Record<string, string> = {};
  for (const match of readFileSync(file, 'utf8').matchAll(/^export (BATON_S3_[A-Z_]+)=(.*)$/gm))
    variables[match[1]!] = match[2]!;
  return variables;
}

/** The BATON_S3_* variables to hand a child process: the environment's, else the repo's `.s3/env`. */
export function s3Variables(): Record<string, string> {
  return s3OptionsFromEnv() ? {} : readRepoS3Env();
}

/**
 * The S3 server's settings from BATON_S3_* or the repo's `.s3/env`. Without
 * them the S3 tests fail under CI (CI=true) and are skipped, saying why, elsewhere.
 */
export function s3TestEnv(): S3EnvOptions | undefined {
  const options = s3OptionsFromEnv() ?? s3OptionsFromEnv(readRepoS3Env());
  if (options) return options;
  if (['true', '1'].includes((process.env.CI ?? '').toLowerCase())) {
    describe('S3 server', () => {
      it('is configured through BATON_S3_* (required under CI)', () => {
        throw new Error(`BATON_S3_BUCKET is not set and there is no .s3/env: ${HOW}`);
      });
    });
  } else {
    describe.skip(`S3 tests (no BATON_S3_* and no .s3/env; ${HOW})`, () => {
      it('needs an S3 server', () => {});
    });
  }
  return undefined;
}

/** A key prefix no other test run uses. */
export const uniquePrefix = (label: string): string => `test/langgraph-checkpoint/${label}/${randomUUID()}/`;

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
