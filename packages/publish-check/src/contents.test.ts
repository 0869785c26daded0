import { describe, expect, it } from 'vitest';
import { contentProblems } from './contents.js';

const MANIFEST = {
  name: '@baton/example',
  version: '1.0.0',
  license: 'MIT',
  type: 'module',
  repository: { type: 'git', url: 'git+https://github.com/baton-dev/baton.git' },
  engines: { node: '>=22.12' },
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './package.json': './package.json' },
  dependencies: { '@baton/core': '^0.1.0' },
};

/** The files of a tarball that passes every check, with `manifest` merged into its package.json. */
function tarball(manifest: Record<string, unknown> = {}, drop: string[] = [], extra: Record<string, string> = {}) {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ ...MANIFEST, ...manifest }),
    LICENSE: 'MIT',
    'README.md': '# example',
    'dist/index.js': 'export {};',
    'dist/index.d.ts': 'export {};',
    ...extra,
  };
  for (const file of drop) delete files[file];
  return new Map(Object.entries(files).map(([path, body]) => [path, Buffer.from(body)]));
}

describe('contentProblems', () => {
  it('finds nothing wrong with a complete package', () => {
    expect(contentProblems(tarball())).toEqual([]);
  });

  it('names a missing LICENSE or README', () => {
    expect(contentProblems(tarball({}, ['LICENSE', 'README.md']))).toEqual([
      '@baton/example: LICENSE is not in the tarball',
      '@baton/example: README.md is not in the tarball',
    ]);
  });

  it('names missing metadata fields', () => {
    expect(
      contentProblems(tarball({ license: undefined, repository: undefined, engines: {}, type: 'commonjs' })),
    ).toEqual([
      '@baton/example: package.json has no "license"',
      '@baton/example: package.json has no "repository" (needed for provenance)',
      '@baton/example: package.json "type" is "commonjs", not "module"',
      '@baton/example: package.json has no "engines.node"',
    ]);
  });

  it('names a workspace: range pack did not rewrite', () => {
    expect(contentProblems(tarball({ peerDependencies: { '@baton/core': 'workspace:^' } }))).toEqual([
      '@baton/example: peerDependencies.@baton/core is still "workspace:^" (not rewritten by pack)',
    ]);
  });

  it('names an export without types, with types not first, or pointing at a file not published', () => {
    expect(contentProblems(tarball({ exports: { '.': './dist/index.js' } }))).toEqual([
      '@baton/example: exports["."] has no "types" condition',
    ]);
    expect(
      contentProblems(tarball({ exports: { '.': { import: './dist/index.js', types: './dist/index.d.ts' } } })),
    ).toEqual(['@baton/example: exports["."] does not list "types" first']);
    expect(
      contentProblems(
        tarball({
          exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './s.json': './s.json' },
        }),
      ),
    ).toEqual(['@baton/example: exports["./s.json"]: ./s.json is not in the tarball']);
    expect(
      contentProblems(
        tarball(
          { exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './s.json': './s.json' } },
          [],
          { 's.json': '{}' },
        ),
      ),
    ).toEqual([]);
    expect(contentProblems(tarball({}, ['dist/index.d.ts']))).toEqual([
      '@baton/example: exports["."].types: ./dist/index.d.ts is not in the tarball',
    ]);
  });

  it('names a bin that is not published, has no hashbang, or loads a file that is not published', () => {
    expect(contentProblems(tarball({ bin: { tool: './bin/tool.js' } }))).toEqual([
      '@baton/example: bin "tool": ./bin/tool.js is not in the tarball',
    ]);
    const shim = "#!/usr/bin/env node\nawait import(new URL('../dist/bin.js', import.meta.url).href);\n";
    expect(contentProblems(tarball({ bin: { tool: './bin/tool.js' } }, [], { 'bin/tool.js': shim }))).toEqual([
      '@baton/example: bin "tool": ./bin/tool.js loads ../dist/bin.js, which is not in the tarball',
    ]);
    const complete = { 'bin/tool.js': shim, 'dist/bin.js': '' };
    expect(contentProblems(tarball({ bin: { tool: './bin/tool.js' } }, [], complete))).toEqual([]);
    expect(contentProblems(tarball({ bin: './bin/tool.js' }, [], { 'bin/tool.js': 'console.log(1)' }))).toEqual([
      '@baton/example: bin "@baton/example": ./bin/tool.js has no node hashbang',
    ]);
  });
});
