import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseChangesetFile } from '@changesets/parse';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './workspace.js';

const CHANGESETS = join(REPO_ROOT, '.changeset');
const files = readdirSync(CHANGESETS).filter((file) => file.endsWith('.md') && file !== 'README.md');
const config = JSON.parse(readFileSync(join(CHANGESETS, 'config.json'), 'utf8')) as { ignore: string[] };

/** Every package of the workspace, private ones included. */
function workspaceNames(): Set<string> {
  const dirs = [
    ...readdirSync(join(REPO_ROOT, 'packages')).map((entry) => join(REPO_ROOT, 'packages', entry)),
    join(REPO_ROOT, 'bench'),
    join(REPO_ROOT, 'examples'),
  ];
  return new Set(
    dirs
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name),
  );
}

/** What is wrong with one changeset file, as `changeset version` would meet it; empty when it is fine. */
function problems(file: string, known: Set<string>): string[] {
  let parsed: ReturnType<typeof parseChangesetFile>;
  try {
    parsed = parseChangesetFile(readFileSync(join(CHANGESETS, file), 'utf8'));
  } catch (error) {
    // Biome reads `"pkg": patch` followed by `---` as a heading; a blank line on each side of the front matter
    // keeps it (`---`, blank, `"pkg": patch`, blank, `---`).
    return [
      `${file}: ${(error as Error).message.split('\n')[0]} (keep a blank line inside each --- of the front matter)`,
    ];
  }
  const found: string[] = [];
  if (parsed.releases.length === 0) found.push(`${file}: names no package`);
  if (parsed.summary.trim() === '') found.push(`${file}: has no description`);
  for (const release of parsed.releases) {
    if (!known.has(release.name)) found.push(`${file}: "${release.name}" is not a package of the workspace`);
  }
  const ignored = parsed.releases.filter((release) => config.ignore.includes(release.name));
  if (ignored.length > 0 && ignored.length < parsed.releases.length) {
    found.push(`${file}: mixes ignored packages (${ignored.map((release) => release.name).join(', ')}) with others`);
  }
  return found;
}

describe('.changeset/*.md', () => {
  it('every changeset parses, names workspace packages only, and does not mix ignored ones with others', () => {
    const known = workspaceNames();
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((file) => problems(file, known))).toEqual([]);
  });

  it('the private publish-check package is ignored by changesets', () => {
    expect(config.ignore).toContain('@baton/publish-check');
  });
});
