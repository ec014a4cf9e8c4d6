// Baileys WAMessage → the port's EngineMessage: who wrote where (PN and LID), what kind of message, its text,
// and the raw message as JSON.
import { extractMessageContent, getContentType, isJidGroup, toNumber, type proto, type WAMessage } from 'baileys';
import type { ContactRef, EngineMessage, Me, MessageType } from '../types.js';
import type { JidResolver } from './jid-resolver.js';

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
  reactionMessage: 'reaction',
  pollCreationMessage: 'poll',
  pollCreationMessageV2: 'poll',
  pollCreationMessageV3: 'poll'
};

function meRef(me: Me): ContactRef {
  return { jid: me.id, lid: me.lid, pn: me.id };
}

function textOf(content: proto.IMessage): string | null {
  return (
    content.conversation ??
    content.extendedTextMessage?.text ??
    content.imageMessage?.caption ??
    content.videoMessage?.caption ??
    content.documentMessage?.caption ??
    content.reactionMessage?.text ??
    null
  );
}

function quotedIdOf(content: proto.IMessage, kind: keyof proto.IMessage | undefined): string | null {
  const inner = kind ? (content[kind] as { contextInfo?: proto.IContextInfo | null } | null | undefined) : undefined;
  return (typeof inner === 'object' && inner?.contextInfo?.stanzaId) || null;
}

type Long = Parameters<typeof toNumber>[0];

/** JSON with bytes as base64 and 64-bit numbers as numbers (protobuf's Long and Buffer otherwise serialise oddly). */
export function toRawJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      if (v && typeof v === 'object') {
        const o = v as { type?: unknown; data?: unknown; low?: unknown; high?: unknown; unsigned?: unknown };
        if (o.type === 'Buffer' && Array.isArray(o.data)) return Buffer.from(o.data as number[]).toString('base64');
        if (typeof o.low === 'number' && typeof o.high === 'number' && typeof o.unsigned === 'boolean') return toNumber(v as Long);
      }
      return v;
    })
  );
}

/** The chat a message key belongs to, with a 1:1 chat given by its PN when known. */
export async function chatOf(key: WAMessage['key'], resolver: JidResolver): Promise<ContactRef | null> {
  if (!key.remoteJid) return null;
  if (isJidGroup(key.remoteJid)) return { jid: key.remoteJid, lid: null, pn: null };
  return resolver.ref(key.remoteJid, key.remoteJidAlt);
}

export async function normaliseMessage(msg: WAMessage, me: Me | null, resolver: JidResolver): Promise<EngineMessage | null> {
  const content = extractMessageContent(msg.message);
  const chat = await chatOf(msg.key, resolver);
  if (!content || !chat || !msg.key.id) return null;
  const fromMe = !!msg.key.fromMe;
  const group = isJidGroup(chat.jid);
  const sender = fromMe && me ? meRef(me) : group ? await resolver.ref(msg.key.participant, msg.key.participantAlt) : chat;
  if (!sender) return null;
  const kind = getContentType(content);
  return {
    id: msg.key.id,
    chat: chat.jid,
    sender,
    fromMe,
    timestamp: toNumber(msg.messageTimestamp ?? 0),
    type: (kind && TYPES[kind]) ?? 'other',
    text: textOf(content),
    pushName: msg.pushName ?? null,
    quotedId: quotedIdOf(content, kind),
    raw: toRawJson(msg)
  };
}
