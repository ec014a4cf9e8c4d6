// Which malloc this process runs on, named in the start log. glibc's (Node's default on Linux) keeps much of what
// a burst of work freed, in its main heap and an arena per allocating thread; `bin/waygate` (npm start) preloads
// jemalloc, which gives it back, when the system has it, and else caps glibc's arenas at two (README: "Many
// sessions on one machine").
import { readFileSync } from 'node:fs';

export type MemoryAllocator = 'jemalloc' | 'default' | `default, MALLOC_ARENA_MAX=${string}`;

/**
 * `maps` is the text of /proc/self/maps; where there is none (not Linux), the allocator is the default.
 * `arenaMax` is glibc's MALLOC_ARENA_MAX as the process was started with it (jemalloc ignores it).
 */
export function memoryAllocator(maps: string | null = readOwnMaps(), arenaMax = process.env.MALLOC_ARENA_MAX): MemoryAllocator {
  if (maps !== null && /\/libjemalloc[^/\s]*\.so/.test(maps)) return 'jemalloc';
  return arenaMax ? `default, MALLOC_ARENA_MAX=${arenaMax}` : 'default';
}

function readOwnMaps(): string | null {
  try {
    return readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return null;
  }
}
