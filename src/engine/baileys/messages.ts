// Sending messages. Group sends keep the group's metadata cached; replies quote the original when it is
// still in memory, else they reference it by id only.
import { isJidGroup, toNumber } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import type { MessageCommands, SendTextOptions } from '../port.js';
import type { SentMessage } from '../types.js';
import type { CommandContext } from './command-context.js';
import { chatJid } from './jids.js';
import { required } from './remote-call.js';

export function makeMessageCommands(ctx: CommandContext): MessageCommands {
  return { sendText: (to, text, options) => sendText(ctx, to, text, options) };
}

async function sendText(ctx: CommandContext, to: string, text: string, options: SendTextOptions = {}): Promise<SentMessage> {
  const jid = chatJid(to);
  if (!text) throw new EngineInvalidArgumentError('text', 'must not be empty');
  // Baileys needs a group's members for every send; cached metadata (kept current by group events) spares a query.
  if (isJidGroup(jid) && !ctx.groupMetadata.has(jid)) ctx.groupMetadata.set(jid, await ctx.call('sendText', (sock) => sock.groupMetadata(jid)));
  const quoted = options.quotedId ? ctx.recentMessages.get(options.quotedId) : undefined;
  const reference = options.quotedId && !quoted ? { contextInfo: { stanzaId: options.quotedId } } : {};
  // linkPreview: null keeps Baileys from fetching the URL (and from loading the optional link-preview-js).
  const sent = await ctx.call('sendText', (sock) => sock.sendMessage(jid, { text, linkPreview: null, ...reference }, quoted ? { quoted } : {}));
  const message = required(sent, 'sendText', 'message');
  const id = required(message.key.id, 'sendText', 'message id');
  ctx.recentMessages.set(id, message);
  return { id, chat: jid, timestamp: toNumber(message.messageTimestamp ?? 0) };
}
