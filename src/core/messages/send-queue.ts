// The durable send queue's worker: per session, one message at a time in acceptance order (so order per chat
// holds), paced, with WhatsApp's typing/recording shown first when asked. A message leaves the queue sent (at
// WhatsApp's server ack) or failed (refused, or expired); a crash leaves it `sending` and it goes out again
// after the resume with the same id, which recipients treat as the same message.
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineNotConnectedError, EngineRemoteError, EngineTimeoutError } from '../../engine/errors.js';
import type { EngineSession } from '../../engine/port.js';
import type { SentMessage } from '../../engine/types.js';
import { appendEvent } from '../../events/outbox.js';
import { doublingDelayMs } from '../../lib/backoff.js';
import { isDatabaseUnavailable } from '../../store/availability.js';
import type { Db } from '../../store/database.js';
import { advanceMessageStatus, insertMessage, markMessageSent } from '../../store/repos/messages.js';
import { expiredUnsettledSends, takeNextOutbound, setOutboundState, type OutboundMessageRow } from '../../store/repos/outbound.js';
import { getSession, listSessionListings } from '../../store/repos/sessions.js';
import { transaction } from '../../store/transaction.js';
import { hydrateContent, parseSend, sendOptions, type StoredSend } from './stored-send.js';
import { sendRecord, storedMessageRow, type MessageRetention } from './message-rows.js';
import { noteChatMessage } from '../chats/chat-events.js';

/** How a queued message ended; `queued` when it has not yet (the caller stopped waiting). */
export type SendSettlement = { state: 'sent'; timestamp: number } | { state: 'failed'; error: string } | { state: 'queued' };

/** Minimum time between two sends of a session, plus a random part up to `jitterMs`. */
export interface Pacing {
  intervalMs: number;
  jitterMs: number;
}

export interface SendQueueLogger {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface SendQueueOptions {
  db: Db;
  /** the engine session of a session this node runs, when it is WORKING */
  workingEngine(sessionId: string): EngineSession | undefined;
  readMedia(id: string): Promise<Buffer | null>;
  logger: SendQueueLogger;
  retention: MessageRetention;
  pacing: Pacing;
  /** attempts that end without WhatsApp's ack before a message is failed */
  maxAttempts?: number;
  /** pause before trying a message again after an attempt without an ack */
  retryDelayMs?: number;
  /** how often sends that waited too long for a session that is not connected are failed */
  expirySweepMs: number;
}

/** WARest's presence simulation timings (api-compat §2.5): how long the state shows before the message. */
const PRESENCE_MS = { composing: [1200, 1850], recording: [2200, 3600] } as const;

const randomBetween = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

const EXPIRED = 'not sent within WAYGATE_SEND_QUEUE_TTL (the session was not connected, or WhatsApp did not acknowledge it)';

/** Expired sends failed per session and sweep; the rest wait for the next sweep. */
const EXPIRED_PER_SWEEP = 500;

export class SendQueue {
  private readonly drains = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly waiters = new Map<string, Set<(settlement: SendSettlement) => void>>();
  private readonly lastSentAt = new Map<string, number>();
  /** workers stopped by the database not answering, waiting to try again */
  private readonly rekicks = new Map<string, NodeJS.Timeout>();
  private readonly unavailableInARow = new Map<string, number>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: SendQueueOptions) {}

  /** Makes the session's worker look at its queue (after new sends, or when the session connects). */
  kick(sessionId: string): void {
    if (this.stopped) return;
    if (this.drains.has(sessionId)) {
      this.again.add(sessionId);
      return;
    }
    clearTimeout(this.rekicks.get(sessionId));
    this.rekicks.delete(sessionId);
    const drain = this.drain(sessionId)
      .then(() => void this.unavailableInARow.delete(sessionId))
      .catch((err) => this.drainFailed(sessionId, err))
      .finally(() => {
        this.drains.delete(sessionId);
        if (this.again.delete(sessionId)) this.kick(sessionId);
      });
    this.drains.set(sessionId, drain);
  }

  /**
   * Starts failing, every `expirySweepMs`, the sends of sessions that are not connected once they have waited
   * longer than their TTL (a connected session's worker fails them as it takes them). Without it a session that
   * stays logged out would keep its sends queued, and their senders uninformed, until it came back.
   */
  start(): void {
    const sweep = () =>
      void this.failExpired().catch((err) => this.options.logger.warn({ err }, 'could not fail the expired sends (the database did not answer); trying again at the next sweep'));
    this.sweepTimer = setInterval(sweep, this.options.expirySweepMs);
    this.sweepTimer.unref();
  }

  /**
   * Resolves with how each message ended, or `queued` for those still unsettled after `timeoutMs`. Register
   * before kicking, so a send that settles at once is not missed.
   */
  settlements(sessionId: string, ids: string[], timeoutMs: number): Promise<SendSettlement[]> {
    return Promise.all(
      ids.map(
        (id) =>
          new Promise<SendSettlement>((resolve) => {
            const key = `${sessionId}\n${id}`;
            const done = (settlement: SendSettlement) => {
              clearTimeout(timer);
              this.waiters.get(key)?.delete(done);
              if (this.waiters.get(key)?.size === 0) this.waiters.delete(key);
              resolve(settlement);
            };
            const timer = setTimeout(() => done({ state: 'queued' }), timeoutMs);
            this.waiters.set(key, (this.waiters.get(key) ?? new Set()).add(done));
          })
      )
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    for (const timer of this.rekicks.values()) clearTimeout(timer);
    this.rekicks.clear();
    await Promise.all(this.drains.values());
  }

  /**
   * A worker stopped by the database not answering tries again after a pause that grows while that lasts (else its
   * queue would wait for the next send or reconnect of its session); any other error stops it until the next kick.
   */
  private drainFailed(sessionId: string, err: unknown): void {
    if (!isDatabaseUnavailable(err)) {
      this.options.logger.error({ err, sessionId }, 'send queue worker stopped on an error');
      return;
    }
    if (this.stopped) return;
    const failures = (this.unavailableInARow.get(sessionId) ?? 0) + 1;
    this.unavailableInARow.set(sessionId, failures);
    const delayMs = doublingDelayMs(failures, 1_000, 30_000);
    this.options.logger.warn({ err, sessionId, retryInMs: delayMs }, 'send queue worker paused: the database did not answer; trying again');
    const timer = setTimeout(() => {
      this.rekicks.delete(sessionId);
      this.kick(sessionId);
    }, delayMs);
    timer.unref();
    this.rekicks.set(sessionId, timer);
  }

  private notify(sessionId: string, id: string, settlement: SendSettlement): void {
    for (const done of [...(this.waiters.get(`${sessionId}\n${id}`) ?? [])]) done(settlement);
  }

  private async drain(sessionId: string): Promise<void> {
    let pacing: Pacing | undefined;
    while (!this.stopped) {
      const engine = this.options.workingEngine(sessionId);
      if (!engine) return; // kicked again when the session is WORKING
      const row = await takeNextOutbound(this.options.db, sessionId);
      if (!row) return;
      if (row.expires_at < Date.now()) {
        await this.fail(row, EXPIRED);
        continue;
      }
      const send = parseSend(row.content);
      pacing ??= await this.pacingOf(sessionId);
      await this.pace(sessionId, pacing);
      if (send.presence) await this.showPresence(engine, row.chat_jid, send.presence);
      try {
        const content = await hydrateContent(send.content, this.options.readMedia);
        const sent = await engine.messages.send(row.chat_jid, content, sendOptions(row.id, send));
        this.lastSentAt.set(sessionId, Date.now());
        await this.settleSent(row, send, sent);
      } catch (err) {
        this.lastSentAt.set(sessionId, Date.now());
        if (err instanceof EngineNotConnectedError) {
          await setOutboundState(this.options.db, sessionId, row.id, { state: 'queued' });
          return;
        }
        if (err instanceof EngineTimeoutError && row.attempts < (this.options.maxAttempts ?? 5)) {
          // No ack: it may have gone out. The same id goes again; recipients keep one message per id.
          this.options.logger.warn({ sessionId, messageId: row.id, attempts: row.attempts }, 'no server ack for a send; it will be sent again with the same id');
          await setOutboundState(this.options.db, sessionId, row.id, { state: 'queued' });
          await sleep(this.options.retryDelayMs ?? 2_000);
          continue;
        }
        await this.fail(row, failureText(err));
      }
    }
  }

  /** The session's own pacing, else the gateway's; read once per drain (a change applies from the next one). */
  private async pacingOf(sessionId: string): Promise<Pacing> {
    const session = await getSession(this.options.db, sessionId);
    return { intervalMs: session?.sendIntervalMs ?? this.options.pacing.intervalMs, jitterMs: session?.sendJitterMs ?? this.options.pacing.jitterMs };
  }

  private async pace(sessionId: string, { intervalMs, jitterMs }: Pacing): Promise<void> {
    const last = this.lastSentAt.get(sessionId);
    if (last === undefined || intervalMs + jitterMs === 0) return;
    const wait = last + intervalMs + randomBetween(0, jitterMs) - Date.now();
    if (wait > 0) await sleep(wait);
  }

  private async showPresence(engine: EngineSession, chat: string, state: 'composing' | 'recording'): Promise<void> {
    try {
      await engine.messages.presence('available');
      await engine.messages.presence(state, chat);
      const [min, max] = PRESENCE_MS[state];
      await sleep(randomBetween(min, max));
      await engine.messages.presence('paused', chat);
    } catch {
      // Presence is decoration: the message goes without it.
    }
  }

  private async settleSent(row: OutboundMessageRow, send: StoredSend, sent: SentMessage): Promise<void> {
    const now = Date.now();
    await transaction(this.options.db, async (trx) => {
      await setOutboundState(trx, row.session_id, row.id, { state: 'sent', sentAt: now });
      const stored = storedMessageRow(this.options.retention, row.session_id, sendRecord(send, { id: row.id, chat: row.chat_jid, kind: row.kind }, { status: 'sent', timestamp: sent.timestamp, raw: sent.raw }), now);
      // Stored as pending when accepted; inserted now only if it was not (accepted before an upgrade).
      if (stored && !(await markMessageSent(trx, { sessionId: row.session_id, chat: row.chat_jid, id: row.id }, stored, now))) await insertMessage(trx, stored);
      await noteChatMessage(trx, row.session_id, { chat: row.chat_jid, id: row.id, fromMe: true, timestamp: sent.timestamp, type: row.kind });
      await appendEvent(trx, {
        sessionId: row.session_id,
        event: 'message.status',
        payload: { id: row.session_id, messageId: row.id, chat: row.chat_jid, fromMe: true, participant: null, status: 'sent', timestamp: sent.timestamp },
        dedupKey: `${row.chat_jid}/${row.id}/sent/`
      });
    });
    this.notify(row.session_id, row.id, { state: 'sent', timestamp: sent.timestamp });
  }

  private async failExpired(): Promise<void> {
    for (const { id: sessionId } of await listSessionListings(this.options.db)) {
      if (this.stopped) return;
      if (this.drains.has(sessionId) || this.options.workingEngine(sessionId)) continue;
      for (const row of await expiredUnsettledSends(this.options.db, sessionId, Date.now(), EXPIRED_PER_SWEEP)) await this.fail(row, EXPIRED);
    }
  }

  private async fail(row: OutboundMessageRow, error: string): Promise<void> {
    await transaction(this.options.db, async (trx) => {
      await setOutboundState(trx, row.session_id, row.id, { state: 'failed', error });
      await advanceMessageStatus(trx, { sessionId: row.session_id, chat: row.chat_jid, id: row.id }, 'failed', Date.now());
      await appendEvent(trx, {
        sessionId: row.session_id,
        event: 'message.status',
        payload: { id: row.session_id, messageId: row.id, chat: row.chat_jid, fromMe: true, participant: null, status: 'failed', error, timestamp: Math.floor(Date.now() / 1000) },
        dedupKey: `${row.chat_jid}/${row.id}/failed/`
      });
    });
    this.notify(row.session_id, row.id, { state: 'failed', error });
  }
}

function failureText(err: unknown): string {
  if (err instanceof EngineRemoteError) return `WhatsApp refused the message (${err.code} ${err.text})`;
  if (err instanceof EngineTimeoutError) return 'WhatsApp did not acknowledge the message after several attempts';
  return err instanceof Error ? err.message : String(err);
}
