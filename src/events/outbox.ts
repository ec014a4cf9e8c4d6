// Appends canonical events to the durable outbox, queues their webhook deliveries in the same transaction,
// and signals in-process dispatchers once the transaction commits.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database.js';
import { insertEvent, type EventPayload } from '../store/repos/outbox.js';
import { getSession } from '../store/repos/sessions.js';
import { enqueueDeliveries } from '../store/repos/webhook-deliveries.js';
import { afterCommit } from '../store/transaction.js';
import { eventFilterAllows, nameOf, type EventName } from './registry.js';

/** What in-process listeners (dispatchers, live streams) are told once a write is committed. */
export type OutboxSignal =
  | { kind: 'appended'; eventId: string; sessionId: string; event: EventName; deliveryQueued: boolean }
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

/**
 * Writes the event and, when the session has a webhook URL whose filter lets the event through, a pending
 * delivery, all in the caller's transaction (open it with `transaction()` from src/store/transaction.ts
 * so the dispatcher is woken on commit).
 * @throws RangeError for an event name that is not in the registry.
 * @returns the new event's id (stable across delivery attempts: receivers de-duplicate on it).
 */
export async function appendEvent(
  db: Db,
  input: { sessionId: string; event: EventName; payload: EventPayload },
  now = Date.now(),
): Promise<string> {
  if (nameOf(input.event) !== input.event) throw new RangeError(`unknown event name "${input.event}"`);
  const eventId = randomUUID();
  await insertEvent(db, { id: eventId, sessionId: input.sessionId, event: input.event, payload: input.payload, createdAt: now });

  const session = await getSession(db, input.sessionId);
  const url = session?.webhookUrl;
  const deliveryQueued = !!url && eventFilterAllows(session.webhookEvents, input.event);
  if (deliveryQueued) await enqueueDeliveries(db, { eventId, sessionId: input.sessionId, urls: [url] }, now);

  signalAfterCommit(db, { kind: 'appended', eventId, sessionId: input.sessionId, event: input.event, deliveryQueued });
  return eventId;
}
