// Accepting a send: the session named and allowed (connected, unless the send is async), the recipients on
// WhatsApp, the content checked and its media prepared once, then one queued message per recipient with the
// WhatsApp id it will carry, all written in one transaction before anything is answered. The answer comes at
// WhatsApp's server ack, or as `queued` after the send timeout (or at once for async sends). An Idempotency-Key
// makes a retried request return its first answer and queue nothing new.
import { randomBytes, randomUUID } from 'node:crypto';
import type { EngineSession } from '../../engine/port.js';
import type { MessageKey } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import { findMessage, insertMessages } from '../../store/repos/messages.js';
import { enqueueMessages, findSendRequest, insertSendRequest, listRequestMessages, saveSendResponse, type SendRequestRow } from '../../store/repos/outbound.js';
import { transaction } from '../../store/transaction.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError } from '../errors.js';
import { OnWhatsAppCache } from '../profile/on-whatsapp.js';
import type { SessionAccess, SessionCommand } from '../sessions/session-access.js';
import { checkedContent, isMediaDraft, mentionsIn, type ContentDraft, type MediaDraft } from './send-content.js';
import { sendRecord, storedMessageRow, type MessageRetention } from './message-rows.js';
import type { SendQueue, SendSettlement } from './send-queue.js';
import { serializeSend, type PresenceSimulation, type StoredContent, type StoredSend } from './stored-send.js';
import { withDeadline } from '../../lib/deadline.js';

export interface SendInput {
  /** normalised recipient JIDs, de-duplicated */
  recipients: string[];
  content: ContentDraft;
  /** id of a message to quote */
  replyTo?: string;
  forwarded?: boolean;
  presence?: PresenceSimulation;
  /** answer at once with the ids (202), instead of at WhatsApp's ack */
  async?: boolean;
  idempotencyKey?: string;
  /** what identifies the request's content, so a reused Idempotency-Key with another request is refused */
  fingerprint: string;
}

export interface RecipientOutcome {
  /** the recipient's chat JID */
  chat: string;
  messageId: string;
  state: 'sent' | 'queued' | 'failed';
  /** unix seconds of the server ack, when sent */
  timestamp: number | null;
  error?: string;
}

export interface SendOutcome {
  sessionId: string;
  /** the session's own number, digits */
  phone: string | null;
  /** the content type sent (text, image, …) */
  type: string;
  quotedId: string | null;
  forwarded: boolean;
  mentions: string[];
  recipients: RecipientOutcome[];
  /** true when this is the stored answer to an earlier request with the same Idempotency-Key */
  replayed: boolean;
}

/** Turns a media draft into stored content: loaded, checked, converted and put in the media storage. */
export type MediaPreparer = (draft: MediaDraft) => Promise<StoredContent>;

export interface MessageSendsOptions {
  db: Db;
  access: SessionAccess;
  queue: SendQueue;
  prepareMedia: MediaPreparer;
  sendTimeoutMs: number;
  queueTtlSeconds: number;
  maxRecipients: number;
  /** what the message store keeps of each send */
  retention: MessageRetention;
  /** which numbers are on WhatsApp, shared with Check On WhatsApp (core/profile); a private one when absent */
  onWhatsApp?: OnWhatsAppCache;
}

function principalScope(principal: Principal | null): string {
  if (principal?.kind === 'session') return `session:${principal.sessionId}`;
  return `key:${principal?.keyId ?? 'anonymous'}`;
}

const digitsOf = (jid: string | null | undefined) => jid?.split(/[:@]/)[0] ?? null;

export class MessageSends {
  /** which numbers WhatsApp said exist, per session, so repeated sends to one number skip the lookup */
  private readonly onWhatsApp: OnWhatsAppCache;

  constructor(private readonly options: MessageSendsOptions) {
    this.onWhatsApp = options.onWhatsApp ?? new OnWhatsAppCache();
  }

  async send(command: SessionCommand, input: SendInput): Promise<SendOutcome> {
    const { access, db } = this.options;
    if (input.recipients.length > this.options.maxRecipients) {
      throw new GatewayError('INVALID_PARAMETER', `to names ${input.recipients.length} recipients; at most ${this.options.maxRecipients} per request (WAYGATE_MAX_RECIPIENTS)`);
    }
    const session = input.async ? await access.find(command) : (await access.working(command)).session;
    const scope = principalScope(command.principal);
    if (input.idempotencyKey) {
      const prior = await findSendRequest(db, scope, input.idempotencyKey);
      if (prior) return this.replay(prior, input);
    }
    const engine = access.runtimeOf(session.id)?.lastChange.status === 'WORKING' ? access.runtimeOf(session.id)!.engine : undefined;
    if (engine) await this.requireOnWhatsApp(session.id, engine, input.recipients);

    const content: StoredContent = isMediaDraft(input.content) ? await this.options.prepareMedia(input.content) : checkedContent(input.content);
    const text = content.type === 'text' ? content.text : 'caption' in content ? content.caption : undefined;
    const mentions = mentionsIn(text);
    const requestId = randomUUID();
    const newId = () => access.runtimeOf(session.id)?.engine.messages.newMessageId() ?? `3EB0${randomBytes(10).toString('hex').toUpperCase()}`;
    const queued = await Promise.all(
      input.recipients.map(async (chat) => ({ id: newId(), chat, send: await this.storedSend(session.id, chat, content, mentions, input) }))
    );
    const now = Date.now();
    const accepted = await transaction(db, async (trx) => {
      // The request is recorded only for a retry with its Idempotency-Key to find; without one nothing reads it.
      if (input.idempotencyKey) {
        const inserted = await insertSendRequest(trx, {
          id: requestId,
          sessionId: session.id,
          principal: scope,
          idempotencyKey: input.idempotencyKey,
          requestHash: input.fingerprint,
          createdAt: now
        });
        if (!inserted) return false;
      }
      const rows = queued.map((q) => ({ id: q.id, chat: q.chat, kind: content.type, content: serializeSend(q.send) }));
      await enqueueMessages(trx, session.id, requestId, rows, now, now + this.options.queueTtlSeconds * 1000);
      const timestamp = Math.floor(now / 1000);
      const pending = queued.map((q) => storedMessageRow(this.options.retention, session.id, sendRecord(q.send, { id: q.id, chat: q.chat, kind: content.type }, { status: 'pending', timestamp, raw: null }), now));
      await insertMessages(trx, pending.filter((row) => row !== null));
      return true;
    });
    if (!accepted) {
      // Another request with the same key won the race: answer as it did.
      const prior = await findSendRequest(db, scope, input.idempotencyKey!);
      return this.replay(prior!, input);
    }

    const ids = queued.map((q) => q.id);
    const settling = input.async ? undefined : this.options.queue.settlements(session.id, ids, this.options.sendTimeoutMs);
    this.options.queue.kick(session.id);
    const settlements: SendSettlement[] = settling ? await settling : ids.map(() => ({ state: 'queued' }));
    const outcome: SendOutcome = {
      sessionId: session.id,
      phone: digitsOf(access.runtimeOf(session.id)?.me?.id ?? session.meId),
      type: content.type,
      quotedId: input.replyTo ?? null,
      forwarded: !!input.forwarded,
      mentions,
      recipients: queued.map((q, i) => recipientOutcome(q.chat, q.id, settlements[i]!)),
      replayed: false
    };
    // Only a retry with the same Idempotency-Key reads the first answer back.
    if (input.idempotencyKey) await saveSendResponse(db, requestId, JSON.stringify(outcome));
    return outcome;
  }

  private async storedSend(sessionId: string, chat: string, content: StoredContent, mentions: string[], input: SendInput): Promise<StoredSend> {
    return {
      content,
      ...(input.replyTo ? { quoted: await this.quoted(sessionId, chat, input.replyTo) } : {}),
      ...(mentions.length ? { mentions } : {}),
      ...(input.forwarded ? { forwarded: true } : {}),
      ...(input.presence ? { presence: input.presence } : {})
    };
  }

  /** The stored message to quote; one not stored (or in another chat) is referenced by its id only. */
  private async quoted(sessionId: string, chat: string, id: string): Promise<{ key: MessageKey; raw: unknown | null }> {
    const stored = await findMessage(this.options.db, sessionId, id, chat);
    if (!stored) return { key: { chat, id, fromMe: false }, raw: null };
    return {
      key: { chat, id, fromMe: stored.from_me === 1, participant: stored.from_me ? null : stored.sender_jid },
      raw: stored.raw ? (JSON.parse(stored.raw) as unknown) : null
    };
  }

  /**
   * Refuses numbers WhatsApp says are not on it. The question is bounded by the send timeout, as the send's answer
   * is: WhatsApp's own bound for a query is a minute, and a sync send must not wait that long before it is even
   * accepted. Unanswered in time, nothing is sent and the caller may retry.
   */
  private async requireOnWhatsApp(sessionId: string, engine: EngineSession, recipients: string[]): Promise<void> {
    const numbers = recipients.filter((jid) => jid.endsWith('@s.whatsapp.net'));
    if (numbers.length === 0) return;
    const timeoutMs = this.options.sendTimeoutMs;
    const results = await withDeadline(this.onWhatsApp.check(sessionId, engine, numbers), timeoutMs, () =>
      new GatewayError('DOWNSTREAM_TIMEOUT', `WhatsApp did not say within ${timeoutMs} ms (WAYGATE_SEND_TIMEOUT_MS) whether ${numbers.map(digitsOf).join(', ')} ${numbers.length > 1 ? 'are' : 'is'} on WhatsApp; nothing was sent, retry`)
    );
    const missing = results.filter((r) => !r.exists).map((r) => digitsOf(r.pn)!);
    if (missing.length) {
      throw new GatewayError('RECIPIENT_INVALID', `not on WhatsApp: ${missing.join(', ')}; nothing was sent${recipients.length > missing.length ? ' to any recipient' : ''}`);
    }
  }

  private async replay(prior: SendRequestRow, input: SendInput): Promise<SendOutcome> {
    if (prior.request_hash !== input.fingerprint) {
      throw new GatewayError('CONFLICT', `Idempotency-Key "${input.idempotencyKey}" was used for a different request; use a new key for a new message`);
    }
    if (prior.response) return { ...(JSON.parse(prior.response) as SendOutcome), replayed: true };
    // Accepted but never answered (a crash in between): answer from the queue as it is now.
    const rows = await listRequestMessages(this.options.db, prior.id);
    const first = rows[0];
    return {
      sessionId: prior.session_id,
      phone: null,
      type: first?.kind ?? 'unknown',
      quotedId: input.replyTo ?? null,
      forwarded: !!input.forwarded,
      mentions: [],
      recipients: rows.map((row) =>
        recipientOutcome(row.chat_jid, row.id, row.state === 'sent' ? { state: 'sent', timestamp: Math.floor((row.sent_at ?? 0) / 1000) } : row.state === 'failed' ? { state: 'failed', error: row.error ?? '' } : { state: 'queued' })
      ),
      replayed: true
    };
  }
}

function recipientOutcome(chat: string, messageId: string, settlement: SendSettlement): RecipientOutcome {
  if (settlement.state === 'sent') return { chat, messageId, state: 'sent', timestamp: settlement.timestamp };
  if (settlement.state === 'failed') return { chat, messageId, state: 'failed', timestamp: null, error: settlement.error };
  return { chat, messageId, state: 'queued', timestamp: null };
}
