// Appends canonical events to the durable outbox, queues their webhook deliveries in the same transaction,
// and signals in-process dispatchers once the transaction commits.
import { EventEmitter } from 'node:events';
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../store/database.js';
import { insertEvent, type EventPayload } from '../store/repos/outbox.js';
import { getSession } from '../store/repos/sessions.js';
import { enqueueDeliveries, type WebhookDelivery } from '../store/repos/webhook-deliveries.js';
import { afterCommit } from '../store/transaction.js';
import { eventFilterAllows, nameOf, type EventName } from './registry.js';

/** What in-process listeners (dispatchers, live streams) are told once a write is committed. */
export type OutboxSignal =
  | { kind: 'appended'; eventId: string; sessionId: string; event: EventName; deliveries: WebhookDelivery[] }
  | { kind: 'requeued'; sessionId: string; count: number };

const signals = new EventEmitter();
// Every dispatcher and live stream in the process may listen; that is not a leak.
signals.setMaxListeners(0);

/** @returns the unsubscribe function. */
export function onOutboxSignal(listener: (signal: OutboxSignal) => void): () => void {
  signals.on('signal', listener);
  return () => signals.off('signal', listener);
}

/** Emits once `db`'s transaction commits (at once outside a transaction; never on rollback). */
export function signalAfterCommit(db: Db, signal: OutboxSignal): void {
  afterCommit(db, () => signals.emit('signal', signal));
}

/** A UUID (version 8: custom) derived from what identifies the event, so the same event always gets the same id. */
export function stableEventId(sessionId: string, event: string, dedupKey: string): string {
  const hash = createHash('sha256').update(`${sessionId}\u0000${event}\u0000${dedupKey}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Writes the event and, when the session has a webhook URL whose filter lets the event through, a pending
 * delivery, all in the caller's transaction (open it with `transaction()` from src/store/transaction.ts
 * so the dispatcher is woken on commit).
 * An event with a `dedupKey` (what WhatsApp identifies it by, e.g. a message's chat and id) gets an id derived
 * from it, and appending it again — WhatsApp redelivering it after a crash — writes and delivers nothing more.
 * @throws RangeError for an event name that is not in the registry.
 * @returns the event's id (stable across delivery attempts and redeliveries: receivers de-duplicate on it).
 */
export async function appendEvent(
  db: Db,
  input: { sessionId: string; event: EventName; payload: EventPayload; dedupKey?: string },
  now = Date.now(),
): Promise<string> {
  if (nameOf(input.event) !== input.event) throw new RangeError(`unknown event name "${input.event}"`);
  const eventId = input.dedupKey === undefined ? randomUUID() : stableEventId(input.sessionId, input.event, input.dedupKey);
  const inserted = await insertEvent(db, { id: eventId, sessionId: input.sessionId, event: input.event, payload: input.payload, createdAt: now });
  if (!inserted) return eventId;

  const session = await getSession(db, input.sessionId);
  const url = session?.webhookUrl;
  const deliveries = url && eventFilterAllows(session.webhookEvents, input.event) ? await enqueueDeliveries(db, { eventId, sessionId: input.sessionId, urls: [url] }, now) : [];

  signalAfterCommit(db, { kind: 'appended', eventId, sessionId: input.sessionId, event: input.event, deliveries });
  return eventId;
}
