// Replays webhook deliveries on demand: re-queues one event, or a session's failed and dead deliveries
// since a point in time, with a fresh attempt budget and retry window, and wakes the dispatchers once
// committed. A replayed delivery takes its event's place in its lane: it goes out before the later events
// of that lane still waiting (only one already in flight goes first).
import type { Db } from '../store/database.js';
import { getEvent } from '../store/repos/outbox.js';
import { getSession } from '../store/repos/sessions.js';
import { enqueueDeliveries, listDeliveries, requeueDeliveries } from '../store/repos/webhook-deliveries.js';
import { transaction } from '../store/transaction.js';
import { signalAfterCommit } from './outbox.js';

/**
 * Re-queues every settled delivery of the event. An event that never had a delivery (no webhook URL or
 * filtered out at the time) is queued for the session's current webhook URL: an explicit replay overrides
 * the filter. Deliveries still pending or in flight are left as they are.
 * @returns the number of deliveries queued (0 when the event is unknown or there is nowhere to send it).
 */
export async function replayEvent(db: Db, eventId: string, now = Date.now()): Promise<number> {
  return transaction(db, async (trx) => {
    const event = await getEvent(trx, eventId);
    if (!event) return 0;
    let count = await requeueDeliveries(trx, { eventId }, now);
    const existing = await listDeliveries(trx, { eventId, limit: 1 });
    if (existing.length === 0) {
      const url = (await getSession(trx, event.sessionId))?.webhookUrl;
      if (!url) return 0;
      await enqueueDeliveries(trx, { eventId, sessionId: event.sessionId, urls: [url] }, now);
      count = 1;
    }
    if (count > 0) signalAfterCommit(trx, { kind: 'requeued', sessionId: event.sessionId, count });
    return count;
  });
}

/**
 * Re-queues the session's deliveries that ended `failed` or `dead` (or only the given states) for events
 * created at or after `since`.
 * @returns the number of deliveries re-queued.
 */
export async function replayFailedDeliveries(
  db: Db,
  query: { sessionId: string; since: number; states?: ('failed' | 'dead')[] },
  now = Date.now(),
): Promise<number> {
  return transaction(db, async (trx) => {
    const count = await requeueDeliveries(
      trx,
      { sessionId: query.sessionId, since: query.since, states: query.states ?? ['failed', 'dead'] },
      now,
    );
    if (count > 0) signalAfterCommit(trx, { kind: 'requeued', sessionId: query.sessionId, count });
    return count;
  });
}
