/** The memory-backed Store: full history in this process, lost on exit. */
import { ObjectStore } from '../objectStore.js';
import type { Store } from '../store.js';
import { MemoryKv } from './memoryKv.js';

/** Opens an empty in-memory Store. */
export function openMemoryStore(): Store {
  return new ObjectStore(new MemoryKv());
}
