// What a simulated phone sends, from a control-API request body: the chat it addresses and the message,
// built with Baileys' own generateWAMessage so it is shaped exactly like a WhatsApp client's (reactions,
// edits, revokes, replies, polls, locations, contacts, and images, videos, audio, documents and stickers
// uploaded encrypted to the media host), and encrypted poll votes, which Baileys has no builder for.
import { generateMessageIDV2, generateWAMessage, isJidGroup, jidNormalizedUser, type AnyMessageContent, type proto } from 'baileys';
import { silentLogger } from '../logger.js';
import type { SandboxNetwork } from '../network.js';
import { phoneUploader } from '../routing/media.js';
import { castVote, pollOf } from '../routing/poll-votes.js';
import type { PhoneMessageRequest } from '../routing/phone-send.js';
import type { Account } from '../world/accounts.js';
import type { PhoneMessage } from '../world/phone-inbox.js';
import { ControlError } from './api.js';

export interface SendBody {
  to: string;
  text?: string;
  reaction?: { messageId: string; emoji: string };
  poll?: { name: string; options: string[]; selectableCount?: number };
  location?: { latitude: number; longitude: number; name?: string };
  contact?: { displayName: string; vcard: string };
  image?: PhoneMedia;
  video?: PhoneMedia;
  audio?: PhoneMedia;
  document?: PhoneMedia;
  sticker?: PhoneMedia;
  edit?: { messageId: string; text: string };
  revoke?: { messageId: string };
  pollVote?: { messageId: string; options: string[] };
  replyTo?: string;
}

/** Media a phone sends, and the options each kind takes besides the file (base64) and its mimetype. */
export const MEDIA_OPTIONS = {
  image: ['caption'],
  video: ['caption', 'gifPlayback'],
  audio: ['ptt'],
  document: ['caption', 'fileName'],
  sticker: []
} as const;

export type MediaKind = keyof typeof MEDIA_OPTIONS;
export type MediaOption = (typeof MEDIA_OPTIONS)[MediaKind][number];

export interface PhoneMedia {
  base64: string;
  /** Baileys' default otherwise: image/jpeg, video/mp4, audio/ogg; codecs=opus, application/pdf, image/webp */
  mimetype?: string;
  caption?: string;
  gifPlayback?: boolean;
  ptt?: boolean;
  fileName?: string;
}

const MEDIA_KINDS = Object.keys(MEDIA_OPTIONS) as MediaKind[];

export const CONTENT_FIELDS = ['text', 'reaction', 'poll', 'location', 'contact', ...MEDIA_KINDS, 'edit', 'revoke', 'pollVote'] as const;

/** `to` as a phone number, PN JID, LID JID or group JID → the chat JID the phone addresses. */
export function chatJid(network: SandboxNetwork, to: string): string {
  if (isJidGroup(to)) {
    if (!network.groups.get(to)) throw new ControlError(404, `no group ${to}`);
    return jidNormalizedUser(to);
  }
  const jid = /^\+?\d+$/.test(to) ? `${to.replace('+', '')}@s.whatsapp.net` : to;
  if (!network.accounts.resolve(jid)) throw new ControlError(404, `no account ${to}; give a phone number, a …@s.whatsapp.net or …@lid JID, or a group JID`);
  return jidNormalizedUser(jid);
}

function referenced(account: Account, chat: string, messageId: string, field: string): { key: proto.IMessageKey; target: PhoneMessage } {
  const target = account.inbox.find(messageId);
  if (!target) throw new ControlError(404, `${field}: ${account.phone} has no message ${messageId} in its chats`);
  const key: proto.IMessageKey = { remoteJid: chat, fromMe: target.fromMe, id: target.id };
  if (isJidGroup(chat) && !target.fromMe && target.participant) key.participant = target.participant;
  return { key, target };
}

/** Either content for Baileys' generateWAMessage, or a finished message it has no builder for (votes). */
type Built = { content: AnyMessageContent; attrs?: Record<string, string> } | { message: proto.IMessage };

function vote(network: SandboxNetwork, account: Account, chat: string, { messageId, options }: { messageId: string; options: string[] }): Built {
  const { key, target } = referenced(account, chat, messageId, 'pollVote');
  const poll = pollOf(target);
  if (!poll) throw new ControlError(400, `pollVote: message ${messageId} is not a poll`);
  const unknown = options.filter((option) => !poll.options.includes(option));
  if (unknown.length) throw new ControlError(400, `pollVote: ${unknown.join(', ')} not among the poll's options (${poll.options.join(', ')})`);
  return { message: castVote(network, account, target, key, poll, options) };
}

function mediaContent(kind: MediaKind, { base64, ...options }: PhoneMedia): AnyMessageContent {
  const file = Buffer.from(base64, 'base64');
  if (!file.length) throw new ControlError(400, `${kind}.base64 must be the base64 of a non-empty file`);
  // The request schema lets through only the options this kind takes.
  return { [kind]: file, ...options } as AnyMessageContent;
}

function content(network: SandboxNetwork, account: Account, chat: string, body: SendBody): Built {
  if (body.text !== undefined) return { content: { text: body.text } };
  if (body.reaction) return { content: { react: { key: referenced(account, chat, body.reaction.messageId, 'reaction').key, text: body.reaction.emoji } } };
  if (body.poll) {
    const { name, options, selectableCount = 0 } = body.poll;
    if (selectableCount > options.length) throw new ControlError(400, `poll.selectableCount must be between 0 and ${options.length} (the number of options)`);
    return { content: { poll: { name, values: options, selectableCount } } };
  }
  if (body.location) {
    const { latitude, longitude, name } = body.location;
    return { content: { location: { degreesLatitude: latitude, degreesLongitude: longitude, ...(name ? { name } : {}) } } };
  }
  if (body.contact) return { content: { contacts: { displayName: body.contact.displayName, contacts: [{ displayName: body.contact.displayName, vcard: body.contact.vcard }] } } };
  const mediaKind = MEDIA_KINDS.find((kind) => body[kind]);
  if (mediaKind) return { content: mediaContent(mediaKind, body[mediaKind]!) };
  if (body.pollVote) return vote(network, account, chat, body.pollVote);
  if (body.edit) {
    const { key, target } = referenced(account, chat, body.edit.messageId, 'edit');
    if (!target.fromMe) throw new ControlError(400, `edit: message ${target.id} was not sent by ${account.phone}; only own messages can be edited`);
    return { content: { edit: key, text: body.edit.text }, attrs: { edit: '1' } };
  }
  const { key, target } = referenced(account, chat, body.revoke!.messageId, 'revoke');
  if (target.fromMe) return { content: { delete: key }, attrs: { edit: '7' } };
  const member = isJidGroup(chat) ? network.groups.get(chat)?.members.get(account.phone) : undefined;
  if (!member || member.role === 'member') throw new ControlError(400, `revoke: message ${target.id} is someone else's; only a group admin can revoke it`);
  return { content: { delete: key }, attrs: { edit: '8' } };
}

export async function buildPhoneMessage(network: SandboxNetwork, account: Account, body: SendBody): Promise<PhoneMessageRequest> {
  const given = CONTENT_FIELDS.filter((field) => body[field] !== undefined);
  if (given.length !== 1) throw new ControlError(400, `give exactly one of ${CONTENT_FIELDS.join(', ')} (got ${given.length ? given.join(', ') : 'none'})`);
  const chat = chatJid(network, body.to);
  const built = content(network, account, chat, body);
  const id = generateMessageIDV2(account.pnJid);
  if ('message' in built) return { chat, id, message: built.message };
  const quoted = body.replyTo ? referenced(account, chat, body.replyTo, 'replyTo') : undefined;
  const full = await generateWAMessage(chat, built.content, {
    userJid: account.pnJid,
    messageId: id,
    upload: phoneUploader(network),
    logger: silentLogger,
    ...(quoted ? { quoted: { key: quoted.key, message: quoted.target.message } } : {})
  });
  return { chat, id, message: full.message!, ...(built.attrs ? { attrs: built.attrs } : {}) };
}
