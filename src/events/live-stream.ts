// Follows the durable outbox for one live-stream client (Server-Sent Events): every event after a position, in
// log order, that the client's filter accepts, in the webhook's canonical shape. It reads when a local write
// commits (the outbox signal) and on a short poll, which picks up events other gateway nodes write and gaps
// that the cursor is still waiting on.
import type { Db } from '../store/database.js';
import type { OutboxEvent } from '../store/repos/outbox.js';
import { getSession } from '../store/repos/sessions.js';
import { onOutboxSignal } from './outbox.js';
import { OutboxCursor } from './outbox-cursor.js';
import { nameOf, tagOf, type EventName, type EventTag } from './registry.js';
import { webhookSessionInfo } from './webhook-session.js';
import { canonicalEventBody, type WebhookSessionInfo } from './webhook-signer.js';

/** One event as the stream sends it: `body` is the JSON a webhook receiver would get. */
export interface LiveEvent {
  id: string;
  seq: number;
  tag: EventTag;
  body: string;
}

export interface LiveStreamOptions {
  db: Db;
  afterSeq: number;
  /** Which events go to this client (its sessions, its event filter). */
  accept(event: OutboxEvent): boolean | Promise<boolean>;
  /** Resolves when the client has taken the event (back-pressure). */
  send(event: LiveEvent): Promise<void>;
  /** Reading failed (the database is away): the stream should end; the client resumes with its last id. */
  onError(error: unknown): void;
}

/** An outbox event in the webhook's canonical shape, `ts` being when it was recorded. */
export function liveEvent(event: OutboxEvent, name: EventName, session: WebhookSessionInfo): LiveEvent {
  const tag = tagOf(name);
  return { id: event.id, seq: event.seq, tag, body: canonicalEventBody({ tag, payload: event.payload, session, ts: event.createdAt }) };
}

const BATCH = 200;
/** Picks up other nodes' events and gaps the cursor waits on. */
const POLL_MS = 1000;

export interface LiveStream {
  stop(): void;
}

export function followOutbox(options: LiveStreamOptions): LiveStream {
  const { db } = options;
  const cursor = new OutboxCursor(db, options.afterSeq);
  // Session identities for the `session` object, read once per stream.
  const identities = new Map<string, Promise<WebhookSessionInfo | null>>();
  const identity = (sessionId: string) => {
    let found = identities.get(sessionId);
    if (!found) {
      found = getSession(db, sessionId).then((session) => (session ? webhookSessionInfo(db, session) : null));
      identities.set(sessionId, found);
    }
    return found;
  };

  let stopped = false;
  let running = false;
  let again = false;

  async function deliver(event: OutboxEvent): Promise<void> {
    const name = nameOf(event.event);
    if (!name || !(await options.accept(event))) return;
    const session = await identity(event.sessionId);
    if (session) await options.send(liveEvent(event, name, session));
  }

  async function pump(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        let batch: OutboxEvent[];
        do {
          batch = await cursor.read(BATCH);
          for (const event of batch) {
            if (stopped) return;
            await deliver(event);
          }
        } while (batch.length === BATCH && !stopped);
      } while (again && !stopped);
    } catch (error) {
      if (!stopped) options.onError(error);
    } finally {
      running = false;
    }
  }

  const unsubscribe = onOutboxSignal((signal) => {
    if (signal.kind === 'appended') void pump();
  });
  const poll = setInterval(() => void pump(), POLL_MS);
  void pump();
  return {
    stop() {
      stopped = true;
      clearInterval(poll);
      unsubscribe();
    },
  };
}
