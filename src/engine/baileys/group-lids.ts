// Phone numbers of LIDs from group metadata. WhatsApp has no query from a LID to its number (usync answers a
// number's LID, not the reverse; Baileys refuses to ask), but a group's metadata names each participant in both
// forms (`phone_number` beside a LID, `lid` beside a PN) unless the group hides numbers. So a LID seen in a
// group is looked up in that group's cached metadata, refreshed by one `w:g2` query when it lacks the LID (at
// most once a minute per group); a LID seen elsewhere is looked up in every cached group, without a query.
import type { GroupMetadata, WASocket } from 'baileys';
import type { EngineLogger } from '../port.js';
import type { BoundedMap } from '../../lib/bounded-map.js';
import type { IdentityLearning, IdentityPair } from './identity-learning.js';
import { bareJid, isLid, isPn } from './jids.js';
import { remoteCall } from './remote-call.js';

export interface SeenLid {
  lid: string;
  /** the group it was seen in */
  group?: string | null;
}

const REFRESH_INTERVAL_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;

/** Both identities of each participant (and the owner) the metadata names in both forms. */
export function identityPairs(meta: GroupMetadata): IdentityPair[] {
  const pairs: IdentityPair[] = [];
  const add = (a: string | null | undefined, b: string | null | undefined) => {
    const [pn, lid] = isPn(a) ? [a, b] : [b, a];
    if (isPn(pn) && isLid(lid)) pairs.push({ pn: bareJid(pn), lid: bareJid(lid) });
  };
  for (const p of meta.participants) add(p.id, p.phoneNumber ?? p.lid);
  add(meta.owner, meta.ownerPn);
  return pairs;
}

export class GroupLids {
  private readonly refreshedAt = new Map<string, number>();

  constructor(
    private readonly cache: BoundedMap<string, GroupMetadata>,
    private readonly socket: () => WASocket | undefined,
    private readonly learning: IdentityLearning,
    private readonly logger: EngineLogger
  ) {}

  /** The PN of each LID the groups reveal. */
  async pns(seen: readonly SeenLid[]): Promise<Map<string, string>> {
    const wanted = new Set(seen.map(({ lid }) => lid));
    const found = new Map<string, string>();
    const take = (meta: GroupMetadata | undefined) => {
      for (const { pn, lid } of meta ? identityPairs(meta) : []) if (wanted.has(lid)) found.set(lid, pn);
    };
    for (const [group, lids] of this.byGroup(seen)) {
      take(this.cache.get(group));
      if (lids.some((lid) => !found.has(lid))) take(await this.refresh(group));
    }
    if (seen.some(({ lid }) => !found.has(lid))) for (const meta of this.cache.values()) take(meta);
    return found;
  }

  /** The LIDs seen in each group. */
  private byGroup(seen: readonly SeenLid[]): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const { lid, group } of seen) if (group) groups.set(group, [...(groups.get(group) ?? []), lid]);
    return groups;
  }

  private async refresh(group: string): Promise<GroupMetadata | undefined> {
    const sock = this.socket();
    const last = this.refreshedAt.get(group);
    if (!sock || (last !== undefined && Date.now() - last < REFRESH_INTERVAL_MS)) return undefined;
    this.refreshedAt.set(group, Date.now());
    for (const [id, at] of this.refreshedAt) if (Date.now() - at >= REFRESH_INTERVAL_MS) this.refreshedAt.delete(id);
    try {
      const meta = await remoteCall('groups.metadata', FETCH_TIMEOUT_MS, () => sock.groupMetadata(group));
      this.cache.set(group, meta);
      this.learning.learn(identityPairs(meta));
      return meta;
    } catch (error) {
      this.logger.debug({ err: error, group }, 'group metadata for LID resolution failed');
      return undefined;
    }
  }
}
