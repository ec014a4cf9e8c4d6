// Which malloc this process runs on, named in the start log. glibc's (Node's default on Linux) keeps much of what
// a burst of work freed; with many sessions jemalloc, preloaded, keeps the gateway smaller (README: "Many
// sessions on one machine").
import { readFileSync } from 'node:fs';

export type MemoryAllocator = 'jemalloc' | 'default';

/** `maps` is the text of /proc/self/maps; where there is none (not Linux), the allocator is the default. */
export function memoryAllocator(maps: string | null = readOwnMaps()): MemoryAllocator {
  return maps !== null && /\/libjemalloc[^/\s]*\.so/.test(maps) ? 'jemalloc' : 'default';
}

function readOwnMaps(): string | null {
  try {
    return readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return null;
  }
}
