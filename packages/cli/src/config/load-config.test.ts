import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingConfigNote } from './find-config.js';
import { loadConfig } from './load-config.js';
import { resolveRegistry } from './resolve-registry.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('loadConfig', () => {
  it('loads a TypeScript config (through jiti) found by searching up from a subfolder', async () => {
    const dir = project({
      'baton.config.ts': `const upper = (text: string): string => text.toUpperCase();\nexport default { registry: { upper } };\n`,
    });
    mkdirSync(join(dir, 'flows'));
    const loaded = await loadConfig({ searchFrom: join(dir, 'flows') });
    expect(loaded.file).toBe(join(dir, 'baton.config.ts'));
    expect(loaded.projectDir).toBe(dir);
    const upper = loaded.config.registry?.upper as (text: string) => string;
    expect(upper('hi')).toBe('HI');
  });

  it('loads a JSON config whose registry names modules, resolved from the project folder', async () => {
    const dir = project({
      'baton.config.json': JSON.stringify({
        store: { type: 'fs', dir: 'state' },
        registry: { greet: './agents.mjs#greet', agent: './agents.mjs' },
      }),
      'agents.mjs': `export const greet = (name) => 'hi ' + name;\nexport default { id: 'a1', invoke: () => 1 };\n`,
    });
    const loaded = await loadConfig({ searchFrom: dir });
    expect(loaded.config.store).toEqual({ type: 'fs', dir: 'state' });
    const registry = await resolveRegistry(loaded.config.registry, loaded.projectDir, loaded.file!);
    expect((registry.greet as (name: string) => string)('bo')).toBe('hi bo');
    expect(registry.agent).toMatchObject({ id: 'a1' });
  });

  it('loads a pg store config as written (the connection string may come from BATON_PG_URL instead)', async () => {
    const store = {
      type: 'pg',
      connectionString: 'postgresql://app:pw@db:5432/app',
      schema: 'prod',
      leaseTtlMs: 5_000,
    };
    const dir = project({ 'baton.config.json': JSON.stringify({ store }) });
    expect((await loadConfig({ searchFrom: dir })).config.store).toEqual(store);
    const fromEnv = project({ 'baton.config.json': JSON.stringify({ store: { type: 'pg' } }) });
    expect((await loadConfig({ searchFrom: fromEnv })).config.store).toEqual({ type: 'pg' });
  });

  it('returns an empty config when there is none', async () => {
    const dir = project({});
    expect(await loadConfig({ searchFrom: dir })).toMatchObject({ config: {}, file: undefined, projectDir: dir });
  });

  it('names the file and the offending key of an invalid config', async () => {
    const dir = project({ 'baton.config.mjs': `export default { registry: { bad: 42 }, stor: {} };\n` });
    await expect(loadConfig({ searchFrom: dir })).rejects.toThrow(
      /Invalid config .*baton\.config\.mjs: .*registry\.bad: must be a function.* \(got 42\); \(root\): unknown key "stor"/s,
    );
  });

  it.each([
    [{ store: { type: 'fs', dir: 5 } }, 'store.dir: expected string, got 5'],
    [
      { store: 5 },
      'store: must be { type: "fs" | "s3" | "pg", ... } or a CheckpointStore (an object with append, read, listRuns and deleteRun) (got 5)',
    ],
    [
      { store: { type: 'gcs' } },
      'store.type: expected "fs" or "s3" or "pg", got "gcs" (or store must be { type: "fs" | "s3" | "pg", ... } or a CheckpointStore (an object with append, read, listRuns and deleteRun))',
    ],
    [{ store: { type: 'fs', dri: '.x' } }, 'store: unknown key "dri"'],
    [{ supervisor: 'fast' }, 'supervisor: expected record, got "fast"'],
    [{ store: { type: 'pg', schema: 5 } }, 'store.schema: expected string, got 5'],
    [{ store: { type: 'pg', connection: 'postgres://h/db' } }, 'store: unknown key "connection"'],
    [
      { store: { type: 'pg', connectionString: 'mysql://app:hunter2-long@db.internal:3306/app' } },
      'store.connectionString: must be a postgres:// or postgresql:// URL (got "mysql://app:***@db.internal:3306/app")',
    ],
  ])('names the field, the expected type and the value: %j', async (config, message) => {
    const dir = project({ 'baton.config.json': JSON.stringify(config) });
    await expect(loadConfig({ searchFrom: dir })).rejects.toThrow(
      `Invalid config ${join(dir, 'baton.config.json')}: ${message}`,
    );
  });

  it.each([
    ['baton.config.json', '{\n  "store": { "type": "fs", }\n}\n', '2:28', 'Expected double-quoted property name'],
    ['baton.config.mjs', 'export default {\n  store: { type: "fs" ,, },\n};\n', '2:23', 'Unexpected token'],
    [
      'baton.config.ts',
      'const x: number = 1;\nexport default {\n  store: { type: "fs" ,, },\n};\n',
      '3:23',
      'Unexpected token',
    ],
  ])('gives file:line:col for a syntax error in %s', async (name, text, position, reason) => {
    const dir = project({ [name]: text });
    const error = await loadConfig({ searchFrom: dir }).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    // Under plain Node the .mjs reason is Node's own ("Unexpected token ','"); under vitest it is jiti's.
    expect(error?.message).toMatch(
      new RegExp(`^Invalid config ${join(dir, name)}:${position}: syntax error: ${reason}`),
    );
  });

  it('lists the folders it searched when there is no config', async () => {
    const dir = project({});
    mkdirSync(join(dir, 'flows'));
    const loaded = await loadConfig({ searchFrom: join(dir, 'flows') });
    expect(loaded.searched.slice(0, 2)).toEqual([join(dir, 'flows'), dir]);
    expect(loaded.searched.at(-1)).toBe('/');
    expect(missingConfigNote(loaded.searched)).toBe(
      `No baton.config was found, so the agent registry is empty. Looked for baton.config.{ts,mts,js,mjs,json} in: ${loaded.searched.join(', ')}. Create one (see the @baton/cli README), or pass --config <file>.`,
    );
  });

  it('reports a config that fails to load', async () => {
    const dir = project({ 'baton.config.mjs': `throw new Error('nope');\n` });
    await expect(loadConfig({ searchFrom: dir })).rejects.toThrow(/baton\.config\.mjs: could not be loaded: nope/);
  });

  it('reports a registry module that does not export what it names', async () => {
    const dir = project({
      'baton.config.json': JSON.stringify({ registry: { x: './m.mjs#missing' } }),
      'm.mjs': 'export const y = 1;\n',
    });
    const loaded = await loadConfig({ searchFrom: dir });
    await expect(resolveRegistry(loaded.config.registry, dir, loaded.file!)).rejects.toThrow(
      /registry\.x: export 'missing' of "\.\/m\.mjs" is not a function or an Agent/,
    );
  });
});
