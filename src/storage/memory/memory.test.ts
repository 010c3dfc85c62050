import { runStoreConformance } from '../conformance.js';
import { openMemoryStore } from './memoryStore.js';

runStoreConformance('memory', () => Promise.resolve(openMemoryStore()));
