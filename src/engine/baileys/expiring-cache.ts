// A small key/value cache with a time to live and a size bound, in the shape Baileys takes for its socket caches
// (`CacheStore`). Baileys' default for each is a NodeCache (@cacheable/node-cache), which allocates 16 hash maps,
// an LRU list, statistics and a check-period interval up front: about 5 KiB and a timer per cache, five caches per
// socket, mostly never written on an idle session. This one holds nothing until its first write and expires
// entries when they are read or when the cache is full, so it needs no timer.
import type { CacheStore } from 'baileys';

interface Entry {
  value: unknown;
  expiresAt: number;
}

export interface ExpiringCacheOptions {
  ttlMs: number;
  /** at most this many entries; the oldest written goes first */
  maxEntries: number;
}

export class ExpiringCache implements CacheStore {
  private entries: Map<string, Entry> | undefined;

  constructor(private readonly options: ExpiringCacheOptions) {}

  get<T>(key: string): T | undefined {
    const entry = this.entries?.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries!.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  set<T>(key: string, value: T): void {
    const entries = (this.entries ??= new Map());
    entries.delete(key);
    if (entries.size >= this.options.maxEntries) this.makeRoom(entries);
    entries.set(key, { value, expiresAt: Date.now() + this.options.ttlMs });
  }

  del(key: string): void {
    this.entries?.delete(key);
  }

  flushAll(): void {
    this.entries = undefined;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** Drops the expired entries, or the oldest one if none has expired (entries are kept in write order). */
  private makeRoom(entries: Map<string, Entry>): void {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    if (entries.size >= this.options.maxEntries) entries.delete(entries.keys().next().value!);
  }
}
