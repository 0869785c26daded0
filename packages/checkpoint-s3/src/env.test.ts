import { describe, expect, it } from 'vitest';
import { s3OptionsFromEnv } from './env.js';

describe('s3OptionsFromEnv', () => {
  it('reads the variables written by scripts/s3-up.sh', () => {
    expect(
      s3OptionsFromEnv({
        BATON_S3_ENDPOINT: 'http://127.0.0.1:7480',
        BATON_S3_REGION: 'us-east-1',
        BATON_S3_BUCKET: 'baton-test',
        BATON_S3_ACCESS_KEY_ID: 'key',
        BATON_S3_SECRET_ACCESS_KEY: 'secret',
      }),
    ).toEqual({
      bucket: 'baton-test',
      clientConfig: {
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:7480',
        forcePathStyle: true,
        credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
      },
    });
  });

  it('returns undefined without a bucket and leaves credentials to the SDK without keys', () => {
    expect(s3OptionsFromEnv({})).toBeUndefined();
    expect(s3OptionsFromEnv({ BATON_S3_BUCKET: 'b' })).toEqual({ bucket: 'b', clientConfig: { region: 'us-east-1' } });
  });
});
