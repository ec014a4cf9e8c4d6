// Questions about people (and groups) that are not group administration: who is on WhatsApp, and pictures.
import { jidDecode, USyncQuery, USyncUser } from 'baileys';
import { EngineInvalidArgumentError, EngineRemoteError } from '../errors.js';
import type { ContactCommands } from '../port.js';
import type { OnWhatsAppResult } from '../types.js';
import type { CommandContext } from './command-context.js';
import { bareJid, chatJid, isLid, userJid } from './jids.js';
import { lidResolution } from './lid-resolution.js';
import { required } from './remote-call.js';

export function makeContactCommands(ctx: CommandContext): ContactCommands {
  return {
    onWhatsApp: (numbers) => onWhatsApp(ctx, numbers),
    pictureUrl: (jid, options = {}) => pictureUrl(ctx, chatJid(jid, 'jid'), options.highRes),
    resolveLid: lidResolution(ctx)
  };
}

async function onWhatsApp(ctx: CommandContext, numbers: string[]): Promise<OnWhatsAppResult[]> {
  if (numbers.length === 0) throw new EngineInvalidArgumentError('numbers', 'must name at least one phone number');
  const jids = numbers.map((n) => userJid(n, 'numbers'));
  const lid = jids.find((jid) => isLid(jid));
  if (lid) throw new EngineInvalidArgumentError('numbers', `must be phone numbers; ${lid} is a LID`);
  // One usync query for every number, asking for the LID too (Baileys' onWhatsApp asks only "is it in").
  const query = new USyncQuery().withContactProtocol().withLIDProtocol();
  for (const jid of jids) query.withUser(new USyncUser().withPhone(`+${jidDecode(jid)?.user ?? ''}`));
  const found = required(await ctx.call('onWhatsApp', (sock) => sock.executeUSyncQuery(query)), 'onWhatsApp', 'contact list').list;
  const results = numbers.map((input, i) => {
    const user = jidDecode(jids[i])?.user;
    const match = found.find((r) => jidDecode(r.id)?.user === user);
    const exists = match?.contact === true;
    const lidJid = exists && typeof match.lid === 'string' && isLid(match.lid) ? bareJid(match.lid) : null;
    return { input, jid: exists ? bareJid(match.id) : null, lid: lidJid, exists };
  });
  ctx.resolver.learn(results.flatMap(({ jid, lid }) => (jid && lid ? [{ pn: jid, lid }] : [])));
  return results;
}

/** The picture URL of a user or group, or null when WhatsApp has none (404). */
export async function pictureUrl(ctx: CommandContext, jid: string, highRes = false): Promise<string | null> {
  try {
    return (await ctx.call('profilePictureUrl', (sock) => sock.profilePictureUrl(jid, highRes ? 'image' : 'preview'))) ?? null;
  } catch (error) {
    if (error instanceof EngineRemoteError && error.code === 404) return null;
    throw error;
  }
}
