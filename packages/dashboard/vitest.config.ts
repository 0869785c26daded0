import { batonVitestConfig } from '../../vitest.shared.js';

export default batonVitestConfig();
