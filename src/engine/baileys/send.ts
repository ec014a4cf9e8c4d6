// Sending a message and waiting for the server to take it. Content is built with Baileys' own generators (or
// hand-built for buttons and lists), mentions and the forwarded mark go into the built content's contextInfo (inside
// any view-once wrapper, where Baileys' own `mentions`/`contextInfo` options would not reach), and it is relayed
// under our pre-generated id. Changes to other messages (reactions, edits, revokes) go through Baileys' sendMessage,
// which adds the stanza attributes they need. Every send resolves at the server's ack (./server-ack.ts).
import {
  generateWAMessage,
  generateWAMessageFromContent,
  getContentType,
  isJidGroup,
  normalizeMessageContent,
  toNumber,
  type AnyMessageContent,
  type proto,
  type WAMessage,
  type WAMessageKey,
  type WASocket
} from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import type { MessageKey, OutboundContent, SendOptions, SentMessage } from '../types.js';
import type { CommandContext } from './command-context.js';
import { chatJid, userJid } from './jids.js';
import { quotedMessage, waKey } from './message-keys.js';
import { prepareContent, type PreparedContent } from './outbound-content.js';
import { toRawJson } from './raw-message.js';
import { required } from './remote-call.js';
import { withServerAck } from './server-ack.js';

/** What a send adds to its content's contextInfo. */
interface Marks {
  mentions: string[];
  forwarded: boolean;
}

function checkedId(id: string | undefined): string {
  if (!id || !/^[\w-]{1,128}$/.test(id)) throw new EngineInvalidArgumentError('id', 'must be a message id made with newMessageId()');
  return id;
}

/** Baileys needs a group's members for every send; cached metadata (kept current by group events) spares a query. */
async function groupReady(ctx: CommandContext, jid: string, operation: string): Promise<void> {
  if (isJidGroup(jid) && !ctx.groupMetadata.has(jid)) ctx.groupMetadata.set(jid, await ctx.call(operation, (sock) => sock.groupMetadata(jid)));
}

function addContext(message: proto.IMessage, { mentions, forwarded }: Marks): void {
  if (!mentions.length && !forwarded) return;
  const inner = normalizeMessageContent(message);
  const kind = inner && getContentType(inner);
  const content = kind && (inner[kind] as { contextInfo?: proto.IContextInfo | null } | string | null | undefined);
  if (!content || typeof content !== 'object') return;
  content.contextInfo = {
    ...content.contextInfo,
    ...(mentions.length ? { mentionedJid: mentions } : {}),
    ...(forwarded ? { isForwarded: true, forwardingScore: 1 } : {})
  };
}

function build(ctx: CommandContext, sock: WASocket, jid: string, id: string, prepared: PreparedContent, quoted: WAMessage | undefined): Promise<WAMessage> {
  const userJid = sock.authState.creds.me!.id;
  if (prepared.build === 'proto') return Promise.resolve(generateWAMessageFromContent(jid, prepared.message, { userJid, messageId: id, quoted }));
  return generateWAMessage(jid, prepared.content, { userJid, messageId: id, quoted, upload: sock.waUploadToServer, logger: ctx.logger });
}

function sentMessage(ctx: CommandContext, chat: string, message: WAMessage, serverTime: number | null): SentMessage {
  const id = required(message.key.id, 'send', 'message id');
  ctx.recentMessages.remember(id, message.message);
  return { id, chat, timestamp: serverTime ?? toNumber(message.messageTimestamp ?? 0), raw: toRawJson(message) };
}

export async function send(ctx: CommandContext, to: string, content: OutboundContent, options: SendOptions): Promise<SentMessage> {
  const operation = 'messages.send';
  const jid = chatJid(to);
  const id = checkedId(options.id);
  const prepared = prepareContent(content);
  const quoted = options.quoted ? quotedMessage(options.quoted) : undefined;
  const marks: Marks = { mentions: (options.mentions ?? []).map((jid, i) => userJid(jid, `mentions[${i}]`)), forwarded: !!options.forwarded };
  await groupReady(ctx, jid, operation);
  return ctx.call(operation, async (sock, over) => {
    const { result, serverTime } = await withServerAck(sock, id, operation, over, async () => {
      const message = await build(ctx, sock, jid, id, prepared, quoted);
      addContext(message.message!, marks);
      await sock.relayMessage(jid, message.message!, { messageId: id, additionalNodes: prepared.nodes });
      return message;
    });
    return sentMessage(ctx, jid, result, serverTime);
  });
}

/** A reaction, edit or revoke of the message `key` names, sent as message `id`. */
export async function sendChange(ctx: CommandContext, operation: string, key: MessageKey, changeId: string, content: (key: WAMessageKey) => AnyMessageContent): Promise<SentMessage> {
  const target = waKey(key);
  const jid = target.remoteJid!;
  const id = checkedId(changeId);
  const change = content(target);
  await groupReady(ctx, jid, operation);
  return ctx.call(operation, async (sock, over) => {
    const { result, serverTime } = await withServerAck(sock, id, operation, over, () => sock.sendMessage(jid, change, { messageId: id }));
    return sentMessage(ctx, jid, required(result, operation, 'message'), serverTime);
  });
}
