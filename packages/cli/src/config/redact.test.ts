import { afterEach, describe, expect, it } from 'vitest';
import { describeConfigValue } from './config-issues.js';
import { clearKnownSecrets, redactSecrets, registerConnectionSecret } from './redact.js';

afterEach(() => clearKnownSecrets());

describe('redactSecrets', () => {
  it.each([
    ['postgres://baton:s3cr3t-pw@127.0.0.1:54329/baton', 'postgres://baton:***@127.0.0.1:54329/baton'],
    ['connect postgresql://u:p%40ss@db/x failed', 'connect postgresql://u:***@db/x failed'],
    [
      'postgres://db/x?user=u&password=topsecret&sslmode=require',
      'postgres://db/x?user=u&password=***&sslmode=require',
    ],
    ['host=db user=u password=topsecret dbname=x', 'host=db user=u password=*** dbname=x'],
    // No password, nothing to hide: the user and host stay readable.
    [
      'postgres://baton@127.0.0.1/baton and https://example.com/a:b',
      'postgres://baton@127.0.0.1/baton and https://example.com/a:b',
    ],
  ])('hides the password in %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('hides a registered password wherever it appears, even outside a URL', () => {
    registerConnectionSecret('postgres://baton:Kq8zVt2mW9@127.0.0.1/baton');
    expect(redactSecrets('{"input":"the password is Kq8zVt2mW9"}')).toBe('{"input":"the password is ***"}');
  });

  it('hides a percent-encoded password in its decoded form too', () => {
    registerConnectionSecret('postgres://baton:p%40ssw0rd!@db/x');
    expect(redactSecrets('auth failed for p@ssw0rd! and p%40ssw0rd!')).toBe('auth failed for *** and ***');
  });

  it('leaves a short password to the URL and parameter patterns, so ordinary text is not garbled', () => {
    registerConnectionSecret('postgres://u:pg@db/x');
    expect(redactSecrets('pg store at postgres://u:pg@db/x')).toBe('pg store at postgres://u:***@db/x');
  });
});

describe('describeConfigValue', () => {
  it('redacts before cutting, so a long value never shows part of a password', () => {
    const value = { type: 'pg', connectionString: 'postgres://someone:abcdefghijklmnop@db.example.com/app' };
    const shown = describeConfigValue(value);
    expect(shown).not.toMatch(/abcdef/);
    expect(shown).toBe('{"type":"pg","connectionString":"postgres://someone:***@d...');
  });
});
