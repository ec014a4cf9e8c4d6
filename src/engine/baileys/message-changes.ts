// Messages that change another message rather than say something: edits and revokes (protocol messages) and
// reactions, as the port's MessageEdit, MessageRevoke and MessageReaction. Each arrives as an upsert of its own
// (Baileys also reports edits and revokes as messages.update, which adds nothing to what the upsert carries).
import { normalizeMessageContent, toNumber, type proto, type WAMessage } from 'baileys';
import type { ContactRef, Me, MessageEdit, MessageReaction, MessageRevoke } from '../types.js';
import type { JidResolver } from './jid-resolver.js';
import { authorOf, chatOf, textOf } from './message-content.js';
import { toRawJson } from './raw-message.js';

type Long = Parameters<typeof toNumber>[0];

/** Unix seconds from a sender's millisecond clock, else the stanza's time. */
function seconds(senderMs: Long | null | undefined, msg: WAMessage): number {
  return senderMs ? Math.floor(toNumber(senderMs) / 1000) : toNumber(msg.messageTimestamp ?? 0);
}

interface Origin {
  chat: ContactRef;
  sender: ContactRef;
  fromMe: boolean;
}

async function originOf(msg: WAMessage, me: Me | null, resolver: JidResolver): Promise<Origin | null> {
  const chat = await chatOf(msg.key, resolver);
  const sender = chat && (await authorOf(msg.key, chat, me, resolver));
  return chat && sender ? { chat, sender, fromMe: !!msg.key.fromMe } : null;
}

export async function messageEdit(msg: WAMessage, protocol: proto.Message.IProtocolMessage, me: Me | null, resolver: JidResolver): Promise<MessageEdit | null> {
  const origin = await originOf(msg, me, resolver);
  const id = protocol.key?.id;
  if (!origin || !id) return null;
  const edited = normalizeMessageContent(protocol.editedMessage);
  return {
    id,
    chat: origin.chat.jid,
    sender: origin.sender,
    fromMe: origin.fromMe,
    text: edited ? textOf(edited) : null,
    timestamp: seconds(protocol.timestampMs, msg),
    raw: toRawJson(msg)
  };
}

export async function messageRevoke(msg: WAMessage, protocol: proto.Message.IProtocolMessage, me: Me | null, resolver: JidResolver): Promise<MessageRevoke | null> {
  const origin = await originOf(msg, me, resolver);
  const id = protocol.key?.id;
  if (!origin || !id) return null;
  return { id, chat: origin.chat.jid, sender: origin.sender, fromMe: origin.fromMe, timestamp: toNumber(msg.messageTimestamp ?? 0) };
}

/** Baileys has already turned the reacted-to key into our point of view (cleanMessage): fromMe, chat, author. */
export async function messageReaction(msg: WAMessage, reaction: proto.Message.IReactionMessage, me: Me | null, resolver: JidResolver): Promise<MessageReaction | null> {
  const origin = await originOf(msg, me, resolver);
  const target = reaction.key;
  if (!origin || !msg.key.id || !target?.id) return null;
  const targetAuthor = target.participant && !target.fromMe ? await resolver.ref(target.participant) : null;
  return {
    id: msg.key.id,
    chat: origin.chat.jid,
    target: { chat: origin.chat.jid, id: target.id, fromMe: !!target.fromMe, participant: targetAuthor?.jid ?? null },
    sender: origin.sender,
    fromMe: origin.fromMe,
    emoji: reaction.text ?? '',
    timestamp: seconds(reaction.senderTimestampMs, msg)
  };
}
