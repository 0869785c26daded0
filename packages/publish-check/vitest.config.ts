import { batonVitestConfig } from '../../vitest.shared.js';

// Packing ten packages, two linters per tarball and a registry install: minutes, not seconds, on a loaded machine.
export default batonVitestConfig({ testTimeout: 180_000, hookTimeout: 300_000 });
