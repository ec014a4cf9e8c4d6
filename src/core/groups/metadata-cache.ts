// Group metadata per session, served from memory so reads (group/info, membership and admin checks) do not
// cost a WhatsApp round trip. The engine's group events keep it fresh: a `group_update` patches the cached
// entry, a participants change drops it, and any connection status change clears the session's cache (what
// happened while it was offline is unknown). A TTL bounds the damage of a missed notification.
import type { EngineSession } from '../../engine/port.js';
import type { GroupMetadata, GroupUpdate } from '../../engine/types.js';

/** Where group actions read metadata from. Entries are shared: callers must not mutate them. */
export interface GroupMetadataSource {
  get(groupId: string): Promise<GroupMetadata>;
  /** every group the account is in, as WhatsApp lists them now */
  list(): Promise<GroupMetadata[]>;
  /** after a change made through this session: the next read asks WhatsApp again */
  invalidate(groupId: string): void;
}

const DEFAULT_TTL_MS = 5 * 60_000;

/** Reads straight from the engine, with no cache (tests that count what reaches WhatsApp). */
export function uncachedMetadata(engine: EngineSession): GroupMetadataSource {
  return { get: (groupId) => engine.groups.metadata(groupId), list: () => engine.groups.list(), invalidate: () => undefined };
}

export class GroupMetadataCache {
  // Keyed by engine session: a restarted session gets a new engine object, and with it an empty cache.
  private readonly bySession = new WeakMap<EngineSession, SessionGroupCache>();

  constructor(private readonly ttlMs = DEFAULT_TTL_MS) {}

  for(engine: EngineSession): GroupMetadataSource {
    let cache = this.bySession.get(engine);
    if (!cache) {
      cache = new SessionGroupCache(engine, this.ttlMs);
      this.bySession.set(engine, cache);
    }
    return cache;
  }
}

interface Entry {
  metadata: GroupMetadata;
  expiresAt: number;
}

class SessionGroupCache implements GroupMetadataSource {
  private readonly entries = new Map<string, Entry>();
  /** reads in flight, shared by concurrent callers; an event removes the group's one so its answer is not kept */
  private readonly pending = new Map<string, Promise<GroupMetadata>>();
  /** counts changes, so a list answer that raced with an event is not cached */
  private changes = 0;

  constructor(
    private readonly engine: EngineSession,
    private readonly ttlMs: number
  ) {
    engine.events.on('group_update', (update) => this.patch(update));
    engine.events.on('group_participants', ({ groupId }) => this.invalidate(groupId));
    engine.events.on('status', () => this.clear());
  }

  get(groupId: string): Promise<GroupMetadata> {
    const entry = this.entries.get(groupId);
    if (entry && entry.expiresAt > Date.now()) return Promise.resolve(entry.metadata);
    return this.pending.get(groupId) ?? this.fetch(groupId);
  }

  async list(): Promise<GroupMetadata[]> {
    const before = this.changes;
    const groups = await this.engine.groups.list();
    if (this.changes === before) groups.forEach((metadata) => this.remember(metadata));
    return groups;
  }

  invalidate(groupId: string): void {
    this.changes++;
    this.entries.delete(groupId);
    this.pending.delete(groupId);
  }

  private fetch(groupId: string): Promise<GroupMetadata> {
    const request: Promise<GroupMetadata> = this.engine.groups
      .metadata(groupId)
      .then((metadata) => {
        if (this.pending.get(groupId) === request) this.remember(metadata);
        return metadata;
      })
      .finally(() => {
        if (this.pending.get(groupId) === request) this.pending.delete(groupId);
      });
    this.pending.set(groupId, request);
    return request;
  }

  private remember(metadata: GroupMetadata): void {
    this.entries.set(metadata.id, { metadata, expiresAt: Date.now() + this.ttlMs });
  }

  private patch({ groupId, changes }: GroupUpdate): void {
    const entry = this.entries.get(groupId);
    this.invalidate(groupId);
    if (!entry) return;
    // The invite code is not part of the metadata; every other change names a metadata field.
    const { inviteCode: _inviteCode, ...fields } = changes;
    this.entries.set(groupId, { metadata: { ...entry.metadata, ...fields }, expiresAt: entry.expiresAt });
  }

  private clear(): void {
    this.changes++;
    this.entries.clear();
    this.pending.clear();
  }
}
