// The port's message commands: sends and changes to messages (./send.ts), the app-state ones (star, delete for
// me), read receipts, presence and media downloads.
import { downloadMediaMessage, generateMessageIDV2, isJidGroup, type WASocket } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import type { MessageCommands } from '../port.js';
import type { ChatPresence } from '../types.js';
import type { CommandContext } from './command-context.js';
import { inboundMedia } from './inbound-media.js';
import { chatJid } from './jids.js';
import { waKey } from './message-keys.js';
import { messageFromRaw } from './raw-message.js';
import { send, sendChange } from './send.js';

const CHAT_STATES = new Set<ChatPresence>(['composing', 'recording', 'paused']);
const GLOBAL_STATES = new Set<ChatPresence>(['available', 'unavailable']);

/** Chats each socket subscribed to the presence of before showing a chat state there (once per connection). */
const presenceSubscriptions = new WeakMap<WASocket, Set<string>>();

async function presence(ctx: CommandContext, state: ChatPresence, chat: string | undefined): Promise<void> {
  if (GLOBAL_STATES.has(state)) return ctx.call('messages.presence', (sock) => sock.sendPresenceUpdate(state));
  if (!CHAT_STATES.has(state)) throw new EngineInvalidArgumentError('state', 'must be available, unavailable, composing, recording or paused');
  if (!chat) throw new EngineInvalidArgumentError('chat', `is needed to show ${state}`);
  const jid = chatJid(chat, 'chat');
  await ctx.call('messages.presence', async (sock) => {
    const subscribed = presenceSubscriptions.get(sock) ?? new Set<string>();
    presenceSubscriptions.set(sock, subscribed);
    if (!isJidGroup(jid) && !subscribed.has(jid)) {
      await sock.presenceSubscribe(jid);
      subscribed.add(jid);
    }
    await sock.sendPresenceUpdate(state, jid);
  });
}

async function downloadMedia(ctx: CommandContext, raw: unknown): Promise<Buffer> {
  const message = messageFromRaw(raw);
  if (!inboundMedia(message.message)) throw new EngineInvalidArgumentError('raw', 'is a message without media');
  const options = await ctx.media.downloadOptions();
  return ctx.call('messages.downloadMedia', (sock) =>
    // An expired media URL (404/410) makes Baileys ask the sender's phone to upload the file again.
    downloadMediaMessage(message, 'buffer', options ? { options } : {}, { reuploadRequest: sock.updateMediaMessage, logger: ctx.logger })
  );
}

export function makeMessageCommands(ctx: CommandContext): MessageCommands {
  return {
    newMessageId: () => generateMessageIDV2(ctx.me()?.id),
    send: (to, content, options) => send(ctx, to, content, options),
    react: (key, emoji, { id }) => sendChange(ctx, 'messages.react', key, id, (target) => ({ react: { key: target, text: emoji } })),
    async edit(key, text, { id }) {
      if (!key.fromMe) throw new EngineInvalidArgumentError('key.fromMe', 'only our own messages can be edited');
      if (!text?.trim()) throw new EngineInvalidArgumentError('text', 'must not be empty');
      return sendChange(ctx, 'messages.edit', key, id, (target) => ({ text, edit: target }));
    },
    revoke: (key, { id }) => sendChange(ctx, 'messages.revoke', key, id, (target) => ({ delete: target })),
    async deleteForMe(key, timestamp, deleteMedia) {
      const target = waKey(key);
      if (!Number.isInteger(timestamp) || timestamp <= 0) throw new EngineInvalidArgumentError('timestamp', "must be the message's time in unix seconds");
      await ctx.call('messages.deleteForMe', (sock) => sock.chatModify({ deleteForMe: { key: target, timestamp, deleteMedia } }, target.remoteJid!));
    },
    async star(key, starred) {
      const target = waKey(key);
      await ctx.call('messages.star', (sock) => sock.chatModify({ star: { messages: [{ id: target.id!, fromMe: !!target.fromMe }], star: starred } }, target.remoteJid!));
    },
    async read(keys) {
      if (!keys.length) throw new EngineInvalidArgumentError('keys', 'must name at least one message');
      const targets = keys.map((key, i) => waKey(key, `keys[${i}]`));
      // Baileys leaves out our own messages: there is nothing to receipt for them.
      await ctx.call('messages.read', (sock) => sock.readMessages(targets));
    },
    presence: (state, chat) => presence(ctx, state, chat),
    downloadMedia: (raw) => downloadMedia(ctx, raw)
  };
}
