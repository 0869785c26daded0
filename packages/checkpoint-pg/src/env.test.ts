import { describe, expect, it } from 'vitest';
import { pgOptionsFromEnv } from './env.js';

describe('pgOptionsFromEnv', () => {
  it('reads BATON_PG_URL', () => {
    expect(pgOptionsFromEnv({ BATON_PG_URL: 'postgres://u:p@h:1/d' })).toEqual({
      connectionString: 'postgres://u:p@h:1/d',
    });
  });
  it('returns undefined when it is unset or empty', () => {
    expect(pgOptionsFromEnv({})).toBeUndefined();
    expect(pgOptionsFromEnv({ BATON_PG_URL: '' })).toBeUndefined();
  });
});
