import { batonVitestConfig } from '../vitest.shared.js';

// The snippet check builds one TypeScript program over every package's types: give it room on a loaded machine.
export default batonVitestConfig({ testTimeout: 300_000 });
