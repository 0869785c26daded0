import { MemoryCheckpointStore } from '@baton/core';
import { validateBatonSaver } from './testing/validation.js';

validateBatonSaver({ name: 'MemoryCheckpointStore', create: () => new MemoryCheckpointStore() });
