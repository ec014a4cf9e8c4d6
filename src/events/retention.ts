// Keeps the event log and the delivery-attempt log bounded: old settled events and old or excess attempts
// are deleted. Events still waiting for delivery are never pruned.
import type { Db } from '../store/database.js';
import { pruneDeliveryLog } from '../store/repos/delivery-log.js';
import { pruneEvents } from '../store/repos/outbox.js';

export interface WebhookRetention {
  /** Settled events older than this are deleted, with their delivery rows. */
  eventMaxAgeMs: number;
  /** Attempt records older than this are deleted. */
  logMaxAgeMs: number;
  /** Only the newest N attempt records of each session are kept. */
  logKeepPerSession: number;
}

export async function pruneWebhookHistory(
  db: Db,
  retention: WebhookRetention,
  now = Date.now(),
): Promise<{ events: number; attempts: number }> {
  const events = await pruneEvents(db, now - retention.eventMaxAgeMs);
  const attempts = await pruneDeliveryLog(db, {
    before: now - retention.logMaxAgeMs,
    keepPerSession: retention.logKeepPerSession,
  });
  return { events, attempts };
}
