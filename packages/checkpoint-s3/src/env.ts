import type { S3ClientConfig } from '@aws-sdk/client-s3';

/** The store options `s3OptionsFromEnv` reads. */
export interface S3EnvOptions {
  bucket: string;
  clientConfig: S3ClientConfig;
}

/**
 * Reads `BATON_S3_BUCKET`, `BATON_S3_ENDPOINT`, `BATON_S3_REGION`,
 * `BATON_S3_ACCESS_KEY_ID` and `BATON_S3_SECRET_ACCESS_KEY` (as written to
 * `.s3/env` by the repo's `scripts/s3-up.sh`). Returns `undefined` without a
 * bucket. With an endpoint, path-style addressing is used (local and most
 * S3-compatible servers need it); without keys the SDK's default credential chain applies.
 */
export function s3OptionsFromEnv(env: Record<string, string | undefined> = process.env): S3EnvOptions | undefined {
  const bucket = env.BATON_S3_BUCKET;
  if (!bucket) return undefined;
  const clientConfig: S3ClientConfig = { region: env.BATON_S3_REGION || 'us-east-1' };
  if (env.BATON_S3_ENDPOINT) {
    clientConfig.endpoint = env.BATON_S3_ENDPOINT;
    clientConfig.forcePathStyle = true;
  }
  if (env.BATON_S3_ACCESS_KEY_ID && env.BATON_S3_SECRET_ACCESS_KEY) {
    clientConfig.credentials = {
      accessKeyId: env.BATON_S3_ACCESS_KEY_ID,
      secretAccessKey: env.BATON_S3_SECRET_ACCESS_KEY,
    };
  }
  return { bucket, clientConfig };
}
