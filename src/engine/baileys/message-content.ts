// Baileys WAMessage → the port's EngineMessage: who wrote where (PN and LID), what kind of message, its text,
// mentions, forwarding and media, and the raw message as JSON.
import { extractMessageContent, getContentType, isJidGroup, toNumber, type proto, type WAMessage } from 'baileys';
import type { ContactRef, EngineMessage, Me, MessageType } from '../types.js';
import { inboundMedia } from './inbound-media.js';
import type { JidResolver } from './jid-resolver.js';
import { toRawJson } from './raw-message.js';

const TYPES: Partial<Record<keyof proto.IMessage, MessageType>> = {
  conversation: 'text',
  extendedTextMessage: 'text',
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
  locationMessage: 'location',
  liveLocationMessage: 'location',
  contactMessage: 'contact',
  contactsArrayMessage: 'contact',
  pollCreationMessage: 'poll',
  pollCreationMessageV2: 'poll',
  pollCreationMessageV3: 'poll'
};

export function meRef(me: Me): ContactRef {
  return { jid: me.id, lid: me.lid, pn: me.id };
}

/** The text, or the caption of a media message. */
export function textOf(content: proto.IMessage): string | null {
  return (
    content.conversation ??
    content.extendedTextMessage?.text ??
    content.imageMessage?.caption ??
    content.videoMessage?.caption ??
    content.documentMessage?.caption ??
    null
  );
}

function contextInfoOf(content: proto.IMessage, kind: keyof proto.IMessage): proto.IContextInfo | null {
  const inner = content[kind] as { contextInfo?: proto.IContextInfo | null } | string | null | undefined;
  return (typeof inner === 'object' && inner?.contextInfo) || null;
}

/** The chat a message key belongs to, with a 1:1 chat given by its PN when known. */
export async function chatOf(key: WAMessage['key'], resolver: JidResolver): Promise<ContactRef | null> {
  if (!key.remoteJid) return null;
  if (isJidGroup(key.remoteJid)) return { jid: key.remoteJid, lid: null, pn: null };
  return resolver.ref(key.remoteJid, key.remoteJidAlt);
}

/** Who wrote a message: us, the group member named in its key, or the 1:1 peer. */
export async function authorOf(key: WAMessage['key'], chat: ContactRef, me: Me | null, resolver: JidResolver): Promise<ContactRef | null> {
  if (key.fromMe && me) return meRef(me);
  return isJidGroup(chat.jid) ? resolver.ref(key.participant, key.participantAlt, chat.jid) : chat;
}

/** A received (or own-device) message; null for one without content the port reports (e.g. a bare sender-key distribution). */
export async function normaliseMessage(msg: WAMessage, me: Me | null, resolver: JidResolver): Promise<EngineMessage | null> {
  const content = extractMessageContent(msg.message);
  const kind = content ? getContentType(content) : undefined;
  const chat = await chatOf(msg.key, resolver);
  if (!content || !kind || !chat || !msg.key.id) return null;
  const sender = await authorOf(msg.key, chat, me, resolver);
  if (!sender) return null;
  const context = contextInfoOf(content, kind);
  const group = isJidGroup(chat.jid) ? chat.jid : null;
  const mentioned = await resolver.refs((context?.mentionedJid ?? []).map((jid) => [jid, null, group] as const));
  return {
    id: msg.key.id,
    chat: chat.jid,
    sender,
    fromMe: !!msg.key.fromMe,
    timestamp: toNumber(msg.messageTimestamp ?? 0),
    type: TYPES[kind] ?? 'other',
    text: textOf(content),
    pushName: msg.pushName ?? null,
    quotedId: context?.stanzaId || null,
    mentions: mentioned.flatMap((ref) => (ref ? [ref.jid] : [])),
    forwarded: !!context?.isForwarded,
    media: inboundMedia(msg.message),
    raw: toRawJson(msg)
  };
}
