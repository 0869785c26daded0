import { batonVitestConfig } from '../../vitest.shared.js';

// The crash test spawns and SIGKILLs hundreds of child processes.
export default batonVitestConfig({ testTimeout: 600_000 });
