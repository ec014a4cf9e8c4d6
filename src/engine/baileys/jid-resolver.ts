// Turning the JIDs Baileys reports (a LID or a PN, sometimes with the other one as an "alt") into ContactRefs
// carrying both, filling the gap from Baileys' LID↔PN store (`signalRepository.lidMapping`; for a number it does
// not know, Baileys asks WhatsApp by usync) and, for a LID it does not know, from group metadata. Every pair
// WhatsApp revealed on the way is kept (identity-learning.ts).
import type { WASocket } from 'baileys';
import type { EngineLogger } from '../port.js';
import type { ContactRef } from '../types.js';
import type { GroupLids } from './group-lids.js';
import type { IdentityLearning, IdentityPair } from './identity-learning.js';
import { bareJid, isLid, isPn } from './jids.js';
import { remoteCall } from './remote-call.js';

type LidMapping = WASocket['signalRepository']['lidMapping'];

/** A JID as reported, the alternate identity reported with it, if any, and the group it was seen in, if any. */
export type JidPair = readonly [jid: string | null | undefined, alt?: string | null | undefined, group?: string | null];

export interface JidResolverDeps {
  lidMapping: () => LidMapping | undefined;
  logger: EngineLogger;
  /** numbers of LIDs Baileys' store lacks */
  groups?: GroupLids;
  learning?: IdentityLearning;
}

// PN→LID lookups for unmapped numbers fall back to a usync query; bound the wait so events keep flowing.
const LOOKUP_TIMEOUT_MS = 5_000;

const pairKey = ([jid, alt, group]: JidPair) => `${jid ?? ''} ${alt ?? ''} ${group ?? ''}`;

/** What a pair says by itself. */
interface Given {
  jid: string;
  pn: string | null;
  lid: string | null;
  group: string | null;
}

export class JidResolver {
  constructor(
    private readonly deps: JidResolverDeps,
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
    return new JidResolver(this.deps, new Map(unique.map((pair, i) => [pairKey(pair), refs[i] ?? null])));
  }

  async ref(jid: string | null | undefined, alt?: string | null, group?: string | null): Promise<ContactRef | null> {
    const [ref] = await this.refs([[jid, alt, group]]);
    return ref ?? null;
  }

  /** Keeps pairs WhatsApp revealed outside the resolver (e.g. a usync answer). */
  learn(pairs: readonly IdentityPair[]): void {
    this.deps.learning?.learn(pairs);
  }

  /** One ContactRef per pair (null where the pair has no JID), resolving all missing halves in one batch per kind. */
  async refs(pairs: readonly JidPair[]): Promise<(ContactRef | null)[]> {
    const known = this.known;
    if (!known) return this.resolve(pairs);
    const misses = pairs.filter((pair) => !known.has(pairKey(pair)));
    const resolved = misses.length ? await this.resolve(misses) : [];
    let next = 0;
    return pairs.map((pair) => (known.has(pairKey(pair)) ? known.get(pairKey(pair))! : (resolved[next++] ?? null)));
  }

  private async resolve(pairs: readonly JidPair[]): Promise<(ContactRef | null)[]> {
    const given = pairs.map(([jid, alt, group]): Given | null => {
      if (!jid) return null;
      const ids = [bareJid(jid), bareJid(alt)];
      return { jid: ids[0]!, pn: ids.find((id) => isPn(id)) ?? null, lid: ids.find((id) => isLid(id)) ?? null, group: group ?? null };
    });
    // A pair complete here answers the same person's other pairs (a joiner is the author of their own join).
    const together = given.flatMap((k) => (k?.pn && k.lid ? [{ pn: k.pn, lid: k.lid }] : []));
    const pnOf = new Map(together.map(({ pn, lid }) => [lid, pn]));
    const lidOf = new Map(together.map(({ pn, lid }) => [pn, lid]));
    const lids = given.filter((k) => k?.lid && !k.pn && !pnOf.has(k.lid)).map((k) => k!.lid!);
    const pns = given.filter((k) => k?.pn && !k.lid && !lidOf.has(k.pn)).map((k) => k!.pn!);
    const [pnByLid, lidByPn] = await Promise.all([this.lookup('pn', lids), this.lookup('lid', pns)]);
    for (const [lid, pn] of pnOf) pnByLid.set(lid, pn);
    for (const [pn, lid] of lidOf) lidByPn.set(pn, lid);
    const unknown = given.filter((k) => k?.lid && !k.pn && !pnByLid.has(k.lid)).map((k) => ({ lid: k!.lid!, group: k!.group }));
    const fromGroups = unknown.length && this.deps.groups ? await this.deps.groups.pns(unknown) : new Map<string, string>();
    // What WhatsApp revealed here (an alt beside the JID, a group's member list) is kept; Baileys' store has the rest.
    const revealed = [...together, ...[...fromGroups].map(([lid, pn]) => ({ pn, lid }))];
    this.deps.learning?.learn(revealed);
    return given.map((k) => {
      if (!k) return null;
      const pn = k.pn ?? (k.lid ? (pnByLid.get(k.lid) ?? fromGroups.get(k.lid)) : undefined) ?? null;
      const lid = k.lid ?? (k.pn ? lidByPn.get(k.pn) : undefined) ?? null;
      return { jid: pn ?? lid ?? k.jid, lid, pn };
    });
  }

  /** Mapping from each given JID to its counterpart (`want` = the kind of JID to find); failures give no entry. */
  private async lookup(want: 'pn' | 'lid', jids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const mapping = this.deps.lidMapping();
    if (!mapping || jids.length === 0) return found;
    const unique = [...new Set(jids)];
    try {
      const pairs = await remoteCall(`${want} lookup`, LOOKUP_TIMEOUT_MS, () => (want === 'pn' ? mapping.getPNsForLIDs(unique) : mapping.getLIDsForPNs(unique)));
      for (const { lid, pn } of pairs ?? []) {
        if (want === 'pn') found.set(bareJid(lid), bareJid(pn));
        else found.set(bareJid(pn), bareJid(lid));
      }
    } catch (error) {
      this.deps.logger.debug({ err: error, want, count: unique.length }, 'LID/PN lookup failed');
    }
    return found;
  }
}
