import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/demo.ts', 'src/research.ts', 'src/typed-workflow.ts', 'src/stream-server.ts', 'src/review.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
});
