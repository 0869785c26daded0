import type { Manifest } from './workspace.js';

const LOCAL_RANGE = /^(workspace|catalog|link|file|portal):/;

/**
 * What publint and attw do not check but a user would hit: the files and fields every published Baton package must
 * have. Returns one line per problem, each naming the package; empty when the tarball is fine.
 */
export function contentProblems(files: ReadonlyMap<string, Buffer>): string[] {
  const raw = files.get('package.json');
  if (!raw) return ['package.json is missing from the tarball'];
  const manifest = JSON.parse(raw.toString('utf8')) as Manifest;
  const problems = [
    ...requiredFiles(files),
    ...requiredFields(manifest),
    ...localRanges(manifest),
    ...exportProblems(manifest, files),
    ...binProblems(manifest, files),
  ];
  return problems.map((problem) => `${manifest.name}: ${problem}`);
}

function requiredFiles(files: ReadonlyMap<string, Buffer>): string[] {
  return ['LICENSE', 'README.md'].filter((file) => !files.has(file)).map((file) => `${file} is not in the tarball`);
}

function requiredFields(manifest: Manifest): string[] {
  const problems: string[] = [];
  if (!manifest.license) problems.push('package.json has no "license"');
  if (!manifest.repository) problems.push('package.json has no "repository" (needed for provenance)');
  if (manifest.type !== 'module')
    problems.push(`package.json "type" is ${JSON.stringify(manifest.type)}, not "module"`);
  if (!manifest.engines?.node) problems.push('package.json has no "engines.node"');
  return problems;
}

function localRanges(manifest: Manifest): string[] {
  const groups = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;
  return groups.flatMap((group) =>
    Object.entries(manifest[group] ?? {})
      .filter(([, range]) => LOCAL_RANGE.test(range))
      .map(([name, range]) => `${group}.${name} is still "${range}" (not rewritten by pack)`),
  );
}

/** Exports that are data, not modules: they need no `types` condition. */
const DATA_FILE = /\.(json|yaml|yml)$/;

function exportProblems(manifest: Manifest, files: ReadonlyMap<string, Buffer>): string[] {
  if (!manifest.exports) return ['package.json has no "exports"'];
  return Object.entries(manifest.exports)
    .filter(([subpath]) => subpath !== './package.json')
    .flatMap(([subpath, target]) => {
      // A data file (the CLI's workflow.schema.json) is exported as a plain path: no module, so no types to declare.
      if (typeof target === 'string' && DATA_FILE.test(target)) {
        return files.has(normalize(target)) ? [] : [`exports["${subpath}"]: ${target} is not in the tarball`];
      }
      if (typeof target !== 'object' || target === null) return [`exports["${subpath}"] has no "types" condition`];
      const conditions = target as Record<string, unknown>;
      const problems: string[] = [];
      if (Object.keys(conditions)[0] !== 'types') problems.push(`exports["${subpath}"] does not list "types" first`);
      for (const condition of ['types', 'import']) {
        const file = conditions[condition];
        if (typeof file !== 'string') problems.push(`exports["${subpath}"] has no "${condition}" condition`);
        else if (!files.has(normalize(file)))
          problems.push(`exports["${subpath}"].${condition}: ${file} is not in the tarball`);
      }
      return problems;
    });
}

function binProblems(manifest: Manifest, files: ReadonlyMap<string, Buffer>): string[] {
  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  return Object.entries(bins).flatMap(([command, file]) => {
    const body = files.get(normalize(file))?.toString('utf8');
    if (body === undefined) return [`bin "${command}": ${file} is not in the tarball`];
    const problems = body.startsWith('#!/usr/bin/env node\n') ? [] : [`bin "${command}": ${file} has no node hashbang`];
    // Whatever the bin loads by relative path (the shim's ../dist/bin.js) must be published too.
    for (const [, relative] of body.matchAll(/['"](\.{1,2}\/[^'"]+\.js)['"]/g)) {
      const target = normalize(new URL(relative!, `file:///${normalize(file)}`).pathname);
      if (!files.has(target)) problems.push(`bin "${command}": ${file} loads ${relative}, which is not in the tarball`);
    }
    return problems;
  });
}

/** `./dist/x.js` → `dist/x.js`. */
function normalize(file: string): string {
  return file.replace(/^\.?\//, '');
}
