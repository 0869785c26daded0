import { batonVitestConfig } from '../../vitest.shared.js';

// The integration tests spawn real Python workers; explicit timeouts keep a regression from hanging CI.
export default batonVitestConfig({ testTimeout: 30_000, hookTimeout: 30_000 });
