import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The Markdown files whose TypeScript snippets are checked, relative to {@link ROOT}: the root README, every
 * package README, docs/*.md and the examples' README (when there is one).
 */
export function documentationFiles(): string[] {
  const packages = readdirSync(join(ROOT, 'packages'))
    .map((dir) => `packages/${dir}/README.md`)
    .filter((file) => existsSync(join(ROOT, file)));
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`);
  return ['README.md', ...packages, ...docs, 'examples/README.md'].filter((file) => existsSync(join(ROOT, file)));
}
