import { batonVitestConfig } from '../../vitest.shared.js';

// Integration tests spawn the built `baton` binary (several processes per test), hence the roomier timeout.
export default batonVitestConfig({ testTimeout: 120_000 });
