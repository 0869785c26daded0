import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWorkerEnv, DEFAULT_ENV_ALLOW_LIST } from './worker-env.js';

describe('buildWorkerEnv', () => {
  const parentEnv = {
    PATH: '/bin',
    HOME: '/home/u',
    LANG: 'C.UTF-8',
    OPENAI_API_KEY: 'sk-secret',
    AWS_SECRET_ACCESS_KEY: 'x',
    MY_VAR: 'v',
  };

  it('passes only allow-listed parent variables', () => {
    const env = buildWorkerEnv({ parentEnv });
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      PYTHONUNBUFFERED: '1',
      PYTHONIOENCODING: 'utf-8',
    });
    expect(DEFAULT_ENV_ALLOW_LIST).not.toContain('OPENAI_API_KEY');
  });

  it('adds inheritEnv by name and env by value, env winning', () => {
    const env = buildWorkerEnv({
      parentEnv,
      inheritEnv: ['OPENAI_API_KEY', 'ABSENT'],
      env: { HOME: '/tmp/h', EXTRA: '1' },
    });
    expect(env).toMatchObject({ OPENAI_API_KEY: 'sk-secret', HOME: '/tmp/h', EXTRA: '1' });
    expect(env).not.toHaveProperty('ABSENT');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
  });

  it('builds PYTHONPATH from pythonPath, env.PYTHONPATH, then the bundled sources', () => {
    const env = buildWorkerEnv({
      parentEnv,
      pythonPath: ['/app', '/lib'],
      env: { PYTHONPATH: '/user' },
      bundledPythonPath: '/bundled',
    });
    expect(env.PYTHONPATH).toBe(['/app', '/lib', '/user', '/bundled'].join(delimiter));
  });
});
