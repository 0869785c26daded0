import { checkpointStoreConformance } from '../testing/conformance.js';
import { MemoryCheckpointStore } from './memory-store.js';

checkpointStoreConformance({ name: 'MemoryCheckpointStore', create: () => new MemoryCheckpointStore() });
