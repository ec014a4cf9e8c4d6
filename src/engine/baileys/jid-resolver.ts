// Turning the JIDs Baileys reports (a LID or a PN, sometimes with the other one as an "alt") into ContactRefs
// carrying both, filling the gap from Baileys' LID↔PN store (`signalRepository.lidMapping`).
import type { WASocket } from 'baileys';
import type { EngineLogger } from '../port.js';
import type { ContactRef } from '../types.js';
import { bareJid, isLid, isPn } from './jids.js';

type LidMapping = WASocket['signalRepository']['lidMapping'];

/** A JID as reported, and the alternate identity reported with it, if any. */
export type JidPair = readonly [jid: string | null | undefined, alt?: string | null | undefined];

// PN→LID lookups for unmapped numbers fall back to a usync query; bound the wait so events keep flowing.
const LOOKUP_TIMEOUT_MS = 5_000;

const pairKey = ([jid, alt]: JidPair) => `${jid ?? ''} ${alt ?? ''}`;

export class JidResolver {
  constructor(
    private readonly lidMapping: () => LidMapping | undefined,
    private readonly logger: EngineLogger,
    /** answers already looked up (see `batch`), by pair */
    private readonly known?: ReadonlyMap<string, ContactRef | null>
  ) {}

  /**
   * A resolver that answers the given pairs from one lookup made now (others as this one does). For a history
   * chunk: a number without a known LID costs Baileys a usync query on every lookup (it keeps no negative
   * answers), so resolving each of 20,000 history messages on its own meant 20,000 queries to WhatsApp.
   */
  async batch(pairs: readonly JidPair[]): Promise<JidResolver> {
    const unique = [...new Map(pairs.map((pair) => [pairKey(pair), pair] as const)).values()];
    const refs = await this.refs(unique);
    return new JidResolver(this.lidMapping, this.logger, new Map(unique.map((pair, i) => [pairKey(pair), refs[i] ?? null])));
  }

  async ref(jid: string | null | undefined, alt?: string | null): Promise<ContactRef | null> {
    const [ref] = await this.refs([[jid, alt]]);
    return ref ?? null;
  }

  /** One ContactRef per pair (null where the pair has no JID), resolving all missing halves in two batches. */
  async refs(pairs: readonly JidPair[]): Promise<(ContactRef | null)[]> {
    const known = this.known;
    if (!known) return this.resolve(pairs);
    const misses = pairs.filter((pair) => !known.has(pairKey(pair)));
    const resolved = misses.length ? await this.resolve(misses) : [];
    let next = 0;
    return pairs.map((pair) => (known.has(pairKey(pair)) ? known.get(pairKey(pair))! : (resolved[next++] ?? null)));
  }

  private async resolve(pairs: readonly JidPair[]): Promise<(ContactRef | null)[]> {
    const known = pairs.map(([jid, alt]) => {
      if (!jid) return null;
      const ids = [bareJid(jid), bareJid(alt)];
      return { jid: ids[0]!, pn: ids.find((id) => isPn(id)) ?? null, lid: ids.find((id) => isLid(id)) ?? null };
    });
    const lids = known.filter((k) => k && k.lid && !k.pn).map((k) => k!.lid!);
    const pns = known.filter((k) => k && k.pn && !k.lid).map((k) => k!.pn!);
    const [pnByLid, lidByPn] = await Promise.all([this.lookup('pn', lids), this.lookup('lid', pns)]);
    return known.map((k) => {
      if (!k) return null;
      const pn = k.pn ?? (k.lid ? pnByLid.get(k.lid) : undefined) ?? null;
      const lid = k.lid ?? (k.pn ? lidByPn.get(k.pn) : undefined) ?? null;
      return { jid: pn ?? lid ?? k.jid, lid, pn };
    });
  }

  /** Mapping from each given JID to its counterpart (`want` = the kind of JID to find); failures give no entry. */
  private async lookup(want: 'pn' | 'lid', jids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const mapping = this.lidMapping();
    if (!mapping || jids.length === 0) return found;
    const unique = [...new Set(jids)];
    let timer: NodeJS.Timeout | undefined;
    try {
      const pairs = await Promise.race([
        want === 'pn' ? mapping.getPNsForLIDs(unique) : mapping.getLIDsForPNs(unique),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), LOOKUP_TIMEOUT_MS);
        })
      ]);
      for (const { lid, pn } of pairs ?? []) {
        if (want === 'pn') found.set(bareJid(lid), bareJid(pn));
        else found.set(bareJid(pn), bareJid(lid));
      }
    } catch (error) {
      this.logger.debug({ err: error, want, count: unique.length }, 'LID/PN lookup failed');
    } finally {
      clearTimeout(timer);
    }
    return found;
  }
}
