import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { resolveRegistry } from './resolve-registry.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('loadConfig', () => {
  it('loads a TypeScript config (through jiti) found by searching up from a subfolder', async () => {
    const dir = project({ 'baton.config.ts': `const upper = (text: string): string => text.toUpperCase();\nexport default { registry: { upper } };\n` });
    mkdirSync(join(dir, 'flows'));
    const loaded = await loadConfig({ searchFrom: join(dir, 'flows') });
    expect(loaded.file).toBe(join(dir, 'baton.config.ts'));
    expect(loaded.projectDir).toBe(dir);
    const upper = loaded.config.registry?.upper as (text: string) => string;
    expect(upper('hi')).toBe('HI');
  });

  it('loads a JSON config whose registry names modules, resolved from the project folder', async () => {
    const dir = project({
      'baton.config.json': JSON.stringify({ store: { type: 'fs', dir: 'state' }, registry: { greet: './agents.mjs#greet', agent: './agents.mjs' } }),
      'agents.mjs': `export const greet = (name) => 'hi ' + name;\nexport default { id: 'a1', invoke: () => 1 };\n`,
    });
    const loaded = await loadConfig({ searchFrom: dir });
    expect(loaded.config.store).toEqual({ type: 'fs', dir: 'state' });
    const registry = await resolveRegistry(loaded.config.registry, loaded.projectDir, loaded.file!);
    expect((registry.greet as (name: string) => string)('bo')).toBe('hi bo');
    expect(registry.agent).toMatchObject({ id: 'a1' });
  });

  it('returns an empty config when there is none', async () => {
    const dir = project({});
    expect(await loadConfig({ searchFrom: dir })).toMatchObject({ config: {}, file: undefined, projectDir: dir });
  });

  it('names the file and the offending key of an invalid config', async () => {
    const dir = project({ 'baton.config.mjs': `export default { registry: { bad: 42 }, stor: {} };\n` });
    await expect(loadConfig({ searchFrom: dir })).rejects.toThrow(/Invalid config .*baton\.config\.mjs: .*registry\.bad: must be a function.*; \(root\): Unrecognized key: "stor"/s);
  });

  it('reports a config that fails to load', async () => {
    const dir = project({ 'baton.config.mjs': `throw new Error('nope');\n` });
    await expect(loadConfig({ searchFrom: dir })).rejects.toThrow(/baton\.config\.mjs: could not be loaded: nope/);
  });

  it('reports a registry module that does not export what it names', async () => {
    const dir = project({ 'baton.config.json': JSON.stringify({ registry: { x: './m.mjs#missing' } }), 'm.mjs': 'export const y = 1;\n' });
    const loaded = await loadConfig({ searchFrom: dir });
    await expect(resolveRegistry(loaded.config.registry, dir, loaded.file!)).rejects.toThrow(/registry\.x: export 'missing' of "\.\/m\.mjs" is not a function or an Agent/);
  });
});
