// Reading a poll vote as callers hand it in (the shapes a webhook or a Baileys dump carries: the whole message
// `{key, message:{pollUpdateMessage}}`, the pollUpdateMessage itself, or just the encrypted `vote`), and a
// stored poll creation message (`raw` protobuf JSON of the message store) as its options and secret.
import type { EncryptedVote } from '../../lib/poll-vote-crypto.js';
import { GatewayError } from '../errors.js';
import { bytesFrom } from './binary-output.js';

type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export interface VoteKey {
  id?: string;
  remoteJid?: string;
  remoteJidAlt?: string;
  participant?: string;
  participantAlt?: string;
  fromMe?: boolean;
}

export interface VoteInput {
  vote: EncryptedVote;
  /** the poll creation message's key, when the payload names it */
  pollKey: VoteKey | null;
  /** the vote message's own key (who voted), when the payload is a whole message */
  voteKey: VoteKey | null;
  senderTimestampMs: number | null;
}

function keyOf(value: unknown): VoteKey | null {
  const key = object(value);
  if (!key) return null;
  const out: VoteKey = {};
  for (const name of ['id', 'remoteJid', 'remoteJidAlt', 'participant', 'participantAlt'] as const) {
    const found = text(key[name]);
    if (found) out[name] = found;
  }
  if (typeof key.fromMe === 'boolean') out.fromMe = key.fromMe;
  return out;
}

/** The content of a message, through the wrappers WhatsApp puts around it (ephemeral, view once, …). */
export function unwrapMessage(message: Json | undefined): Json | undefined {
  let content = message;
  for (let depth = 0; content && depth < 5; depth++) {
    const inner = ['ephemeralMessage', 'viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension', 'documentWithCaptionMessage', 'editedMessage']
      .map((name) => object(object(content![name])?.message))
      .find(Boolean);
    if (!inner) return content;
    content = inner;
  }
  return content;
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  const long = object(value);
  if (long && typeof long.low === 'number' && typeof long.high === 'number') return long.high * 2 ** 32 + (long.low >>> 0);
  return null;
}

/** The encrypted vote and the keys around it; a 400 that says what is missing otherwise. */
export function readVoteInput(raw: unknown): VoteInput {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      throw new GatewayError('INVALID_PARAMETER', 'pollUpdateVote is not valid JSON; send the pollUpdateMessage object (or the whole message) from the webhook');
    }
  }
  const root = object(value);
  if (!root) throw new GatewayError('MISSING_PARAMETER', 'pollUpdateVote is required: the pollUpdateMessage {pollCreationMessageKey, vote: {encPayload, encIv}} from the webhook, or the whole message');
  const message = unwrapMessage(object(root.message));
  const update = object(message?.pollUpdateMessage) ?? object(root.pollUpdateMessage) ?? root;
  const voteObject = object(update.vote) ?? (update.encPayload !== undefined ? update : undefined);
  if (!voteObject) throw new GatewayError('MISSING_PARAMETER', 'pollUpdateVote has no vote: send the pollUpdateMessage with its vote {encPayload, encIv} (base64)');
  const encPayload = bytesFrom(voteObject.encPayload);
  const encIv = bytesFrom(voteObject.encIv);
  if (!encPayload || !encIv) throw new GatewayError('INVALID_PARAMETER', 'pollUpdateVote.vote needs encPayload and encIv as base64 (or byte arrays)');
  if (encIv.length !== 12) throw new GatewayError('INVALID_PARAMETER', `pollUpdateVote.vote.encIv must be 12 bytes, not ${encIv.length}`);
  return {
    vote: { encPayload, encIv },
    pollKey: keyOf(update.pollCreationMessageKey ?? root.pollCreationMessageKey ?? root.pollMessageKey),
    voteKey: message ? keyOf(root.key) : null,
    senderTimestampMs: numberOf(update.senderTimestampMs ?? root.senderTimestampMs),
  };
}

export interface StoredPoll {
  title: string | null;
  options: string[];
  selectableOptionsCount: number | null;
  secret: Buffer | null;
}

/** A stored message's poll (its `raw` JSON), or null when it is not a poll. */
export function pollOfRaw(raw: unknown): StoredPoll | null {
  const root = object(raw);
  const outer = object(root?.message);
  const content = unwrapMessage(outer);
  const creation = ['pollCreationMessage', 'pollCreationMessageV2', 'pollCreationMessageV3', 'pollCreationMessageV5'].map((name) => object(content?.[name])).find(Boolean);
  if (!creation) return null;
  const options = (Array.isArray(creation.options) ? creation.options : []).map((option) => text(object(option)?.optionName) ?? '');
  const secretField = object(outer?.messageContextInfo)?.messageSecret ?? object(content?.messageContextInfo)?.messageSecret;
  return {
    title: text(creation.name) ?? null,
    options,
    selectableOptionsCount: numberOf(creation.selectableOptionsCount),
    secret: bytesFrom(secretField) ?? null,
  };
}

/** A user JID as vote keys use it: no device, `@c.us` as `@s.whatsapp.net`, bare digits as a PN JID. */
export function voteJid(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const value = raw.trim();
  const at = value.lastIndexOf('@');
  if (at < 0) return /^\+?\d{5,20}$/.test(value) ? `${value.replace('+', '')}@s.whatsapp.net` : undefined;
  const user = value.slice(0, at).split(':')[0]!.split('_')[0]!;
  const server = value.slice(at + 1).toLowerCase();
  if (!/^\d+$/.test(user)) return undefined;
  if (server === 'c.us' || server === 's.whatsapp.net') return `${user}@s.whatsapp.net`;
  if (server === 'lid') return `${user}@lid`;
  return undefined;
}
