#!/usr/bin/env node
// The `baton` binary. Committed (not built) so `pnpm install` can link it on a fresh clone before anything is built;
// it runs the built CLI in ../dist, or says how to build it instead of failing with a bare "module not found".
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);

if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write(
    `baton: the CLI is not built yet (${fileURLToPath(built)} is missing): run \`pnpm build\` first ` +
      '(or `pnpm --filter @baton/cli... build` for the CLI alone)\n',
  );
  process.exitCode = 1;
}
