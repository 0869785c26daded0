import { readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Every src/*.bench.ts is an entry, so a new bench needs no change here. All
// entries land flat in dist/ (shared code in chunks beside them), which is
// what run.ts and core/spawn.ts rely on to find each other. Benches run from
// plain JS so no TypeScript loader sits in the measured processes (tsx alone
// adds ~50 MB of RSS).
const benches = Object.fromEntries(
  readdirSync('src')
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => [file.slice(0, -'.ts'.length), `src/${file}`]),
);

export default defineConfig({
  entry: { run: 'src/run.ts', child: 'src/lib/child.ts', 'engine-child': 'src/core/engine-child.ts', ...benches },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  splitting: true,
  sourcemap: true,
  clean: true,
  // Leave every package import to Node at run time: a bench whose package is
  // missing or unbuilt then fails alone, instead of breaking the whole build.
  esbuildOptions(options) {
    options.packages = 'external';
  },
});
