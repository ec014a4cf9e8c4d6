// contacts.resolveLid: a person's phone-number JID and LID from either one. The session's JidResolver answers
// from Baileys' LID store (persisted with the auth state), for a number it does not know by usync, for a LID it
// does not know from the cached metadata of the groups it was seen in. What is left is a LID no group in the
// cache shares: WhatsApp has no query from a LID to its number, so the one real question left is which groups
// the account shares with it: one `participating` query for all groups (members with `phone_number`), asked at
// most once a minute. A LID none of them reveals stays unresolved.
import type { ContactRef } from '../types.js';
import type { CommandContext } from './command-context.js';
import { identityPairs } from './group-lids.js';
import { isLid, userJid } from './jids.js';

const PARTICIPATING_INTERVAL_MS = 60_000;

export function lidResolution(ctx: CommandContext): (input: string) => Promise<ContactRef> {
  let askedAt: number | undefined;

  /** The PN of `lid` among the members of every group the account is in, all of them learnt. */
  const fromParticipatingGroups = async (lid: string): Promise<string | null> => {
    if (askedAt !== undefined && Date.now() - askedAt < PARTICIPATING_INTERVAL_MS) return null;
    askedAt = Date.now();
    const groups = Object.values(await ctx.call('resolveLid', (sock) => sock.groupFetchAllParticipating()));
    for (const meta of groups) ctx.groupMetadata.set(meta.id, meta);
    const pairs = groups.flatMap(identityPairs);
    ctx.resolver.learn(pairs);
    return pairs.find((pair) => pair.lid === lid)?.pn ?? null;
  };

  return async (input) => {
    const jid = userJid(input, 'jid');
    const ref = (await ctx.call('resolveLid', () => ctx.resolver.ref(jid))) ?? { jid, pn: null, lid: null };
    if (ref.pn || !isLid(jid)) return ref;
    const pn = await fromParticipatingGroups(jid);
    return pn ? { jid: pn, pn, lid: jid } : ref;
  };
}
