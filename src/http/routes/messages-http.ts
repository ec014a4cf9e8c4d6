// What the message route files share: their deps, the schema fragments for WARest's message fields, and the
// readers for the loosely typed send options (presence as bool, number or word; reply ids under three names;
// async as query or header).
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.js';
import type { MessageActions } from '../../core/messages/message-actions.js';
import type { MessageSends, SendInput } from '../../core/messages/message-sends.js';
import type { ContentDraft } from '../../core/messages/send-content.js';
import type { PresenceSimulation } from '../../core/messages/stored-send.js';
import { field } from '../credentials.js';
import { normalizeRecipients, type PhoneOptions } from '../jids.js';
import { readString, type RequestParts } from '../params.js';

export interface MessageRoutesContext {
  sends: MessageSends;
  actions: MessageActions;
  phones: PhoneOptions;
  /** largest body the send routes accept (inline media) */
  mediaBodyLimitBytes: number;
}

export const TEXT = { type: 'string' } as const;
const FLAG = { type: ['boolean', 'string', 'number'] } as const;

export const SEND_FIELDS = {
  sessionId: { type: 'string', description: 'the session; or the session’s own number as phone' },
  phone: TEXT,
  to: { type: ['string', 'array', 'number'], description: 'recipients: phone numbers or JIDs (…@s.whatsapp.net, …@c.us, …@lid, …@g.us); several as an array or separated by , ; or newlines' },
  presence: { type: ['boolean', 'string', 'number'], description: 'show typing/recording first: true, or composing|recording|typing|audio…' },
  replyMessageId: { type: 'string', description: 'id of a message to quote; alias quotedMessageId' },
  quotedMessageId: TEXT,
  isForwarded: { ...FLAG, description: 'mark the message as forwarded' },
  async: { ...FLAG, description: 'answer 202 at once with the message ids instead of waiting for WhatsApp’s ack (also ?async=true or header Prefer: respond-async)' }
} as const;

export function sendFields(properties: Record<string, unknown>) {
  return { type: 'object', properties: { ...SEND_FIELDS, ...properties } };
}

const TRUE = new Set(['1', 'true', 'yes', 'y', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'off', '']);

/** An optional boolean given as JSON, a number or one of WARest's words; undefined when absent. */
export function readFlag(parts: RequestParts, keys: readonly string[]): boolean | undefined {
  for (const key of keys) {
    const raw = field(parts.body, key) ?? field(parts.query, key);
    if (raw === undefined || raw === null) continue;
    if (typeof raw === 'boolean') return raw;
    const value = String(raw).trim().toLowerCase();
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    throw new GatewayError('INVALID_PARAMETER', `${key} must be true or false (also 1/0, yes/no, on/off), not "${value.slice(0, 40)}"`);
  }
  return undefined;
}

const PRESENCE_WORDS: Record<string, PresenceSimulation | null> = {
  composing: 'composing', typing: 'composing', compose: 'composing', writing: 'composing', text: 'composing',
  recording: 'recording', rec: 'recording', audio: 'recording', voice: 'recording', mic: 'recording', microphone: 'recording', ptt: 'recording',
  true: null, yes: null, y: null, on: null, '1': null,
  false: null, no: null, n: null, off: null, '0': null
};

/** WARest's presence simulation (§2.5): off, or the state to show (its default depends on the route). */
export function readPresence(parts: RequestParts, defaultState: PresenceSimulation): PresenceSimulation | undefined {
  const raw = field(parts.body, 'presence') ?? field(parts.query, 'presence');
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'boolean') return raw ? defaultState : undefined;
  if (typeof raw === 'number') return raw > 0 ? defaultState : undefined;
  const word = String(raw).trim().toLowerCase();
  if (!(word in PRESENCE_WORDS)) throw new GatewayError('INVALID_PARAMETER', `presence must be true/false or one of composing, typing, recording, audio; not "${word.slice(0, 40)}"`);
  if (['false', 'no', 'n', 'off', '0'].includes(word)) return undefined;
  return PRESENCE_WORDS[word] ?? defaultState;
}

export function readRecipients(parts: RequestParts, phones: PhoneOptions, keys: readonly string[] = ['to']): string[] {
  const raw = keys.map((key) => field(parts.body, key) ?? field(parts.query, key)).find((value) => value !== undefined && value !== null && value !== '');
  if (raw === undefined) throw new GatewayError('MISSING_PARAMETER', `${keys[0]} is required: a phone number or JID (several: an array)`);
  return normalizeRecipients(raw, phones, keys[0]);
}

function isAsync(request: FastifyRequest): boolean {
  const prefer = request.headers.prefer;
  if (typeof prefer === 'string' && /\brespond-async\b/i.test(prefer)) return true;
  return readFlag(request, ['async']) ?? false;
}

function idempotencyKey(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 255) {
    throw new GatewayError('INVALID_PARAMETER', 'Idempotency-Key must be one header value of 1 to 255 characters');
  }
  return raw.trim();
}

/** The send input every send route shares, around the route's own content. */
export function sendInput(request: FastifyRequest, context: MessageRoutesContext, content: ContentDraft, presenceDefault: PresenceSimulation = 'composing'): SendInput {
  const async = isAsync(request);
  const key = idempotencyKey(request);
  const replyTo = readString(request, ['replyMessageId', 'quotedMessageId', 'replyId']);
  const forwarded = readFlag(request, ['isForwarded', 'forwarded']);
  const presence = readPresence(request, presenceDefault);
  return {
    recipients: readRecipients(request, context.phones, ['to', 'jid', 'target', 'number']),
    content,
    ...(replyTo ? { replyTo } : {}),
    ...(forwarded ? { forwarded } : {}),
    ...(presence ? { presence } : {}),
    async,
    ...(key ? { idempotencyKey: key } : {}),
    fingerprint: createHash('sha256').update(`${request.routeOptions.url}\n${JSON.stringify(request.body ?? null)}\n${JSON.stringify(request.query ?? null)}`).digest('hex')
  };
}
