// contacts.resolveLid: a person's phone-number JID and LID from either one, through the session's JidResolver
// (Baileys' LID mapping in the Signal key store; for a PN it does not know, Baileys asks WhatsApp by usync).
// WhatsApp has no query from a LID to its phone number: a LID the session never saw mapped stays unresolved.
import type { ContactRef } from '../types.js';
import type { CommandContext } from './command-context.js';
import { userJid } from './jids.js';

export async function resolveLid(ctx: CommandContext, input: string): Promise<ContactRef> {
  const jid = userJid(input, 'jid');
  const ref = await ctx.call('resolveLid', () => ctx.resolver.ref(jid));
  return ref ?? { jid, pn: null, lid: null };
}
