import { defineConfig } from 'tsup';

// `bin` keeps its `#!/usr/bin/env node` line (esbuild preserves hashbangs in entry files).
export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
});
