// Keeping every PN↔LID pair WhatsApp reveals (message envelopes, group participants' `phone_number`, contacts,
// usync answers, group metadata): each pair once per session run goes into Baileys' LID store, which the auth
// state persists in the database (so the resolver and Baileys' own sends find it after a restart), and out as an
// `identity_mapping` event, which links the two identities in the contact store. Baileys itself stores only the
// pairs of envelopes, history syncs and its own usync queries.
import type { WASocket } from 'baileys';
import type { EngineLogger } from '../port.js';
import { BoundedMap } from '../../lib/bounded-map.js';
import { isLid, isPn } from './jids.js';

type LidMapping = WASocket['signalRepository']['lidMapping'];

export interface IdentityPair {
  pn: string;
  lid: string;
}

/** Pairs already recorded in this run; a pair seen again (every message of a chat) costs a map lookup. */
const REMEMBERED_PAIRS = 10_000;

export class IdentityLearning {
  private readonly recorded = new BoundedMap<string, true>(REMEMBERED_PAIRS);

  constructor(
    private readonly lidMapping: () => LidMapping | undefined,
    private readonly announce: (mappings: IdentityPair[]) => void,
    private readonly logger: EngineLogger
  ) {}

  learn(pairs: readonly IdentityPair[]): void {
    const fresh = new Map<string, IdentityPair>();
    for (const pair of pairs) {
      const key = `${pair.pn} ${pair.lid}`;
      if (isPn(pair.pn) && isLid(pair.lid) && !this.recorded.has(key)) fresh.set(key, pair);
    }
    if (fresh.size === 0) return;
    for (const key of fresh.keys()) this.recorded.set(key, true);
    const mappings = [...fresh.values()];
    this.announce(mappings);
    // Not awaited: the event that revealed the pairs may be handled while Baileys holds the session's Signal key
    // lock for the stanza that brought it (durable-receipt.ts), and this write takes that lock.
    void this.store(fresh);
  }

  private async store(fresh: Map<string, IdentityPair>): Promise<void> {
    try {
      await this.lidMapping()?.storeLIDPNMappings([...fresh.values()]);
    } catch (error) {
      this.logger.warn({ err: error, count: fresh.size }, 'could not store PN↔LID pairs');
      for (const key of fresh.keys()) this.recorded.delete(key);
    }
  }
}
