// Repository for `webhook_actions`: the outcome of each action a webhook reply asked for, read back per delivery.
import type { Db } from '../database.js';
import type { WebhookActionOutcome, WebhookActionRow } from '../tables/webhook-actions.js';

export interface WebhookActionEntry {
  deliveryId: number;
  eventId: string;
  sessionId: string;
  path: string;
  type: string;
  outcome: WebhookActionOutcome;
  error: string | null;
  messageId: string | null;
  at: number;
}

function toEntry(row: WebhookActionRow): WebhookActionEntry {
  return {
    deliveryId: row.delivery_id,
    eventId: row.event_id,
    sessionId: row.session_id,
    path: row.path,
    type: row.type,
    outcome: row.outcome,
    error: row.error,
    messageId: row.message_id,
    at: row.at,
  };
}

export async function appendWebhookAction(db: Db, entry: WebhookActionEntry): Promise<void> {
  await db
    .insertInto('webhook_actions')
    .values({
      delivery_id: entry.deliveryId,
      event_id: entry.eventId,
      session_id: entry.sessionId,
      path: entry.path,
      type: entry.type,
      outcome: entry.outcome,
      error: entry.error,
      message_id: entry.messageId,
      at: entry.at,
    })
    .execute();
}

/** The actions recorded for these deliveries, each delivery's in the order they ended. */
export async function listWebhookActions(db: Db, deliveryIds: readonly number[]): Promise<WebhookActionEntry[]> {
  if (deliveryIds.length === 0) return [];
  const rows = await db
    .selectFrom('webhook_actions')
    .selectAll()
    .where('delivery_id', 'in', [...deliveryIds])
    .orderBy('delivery_id')
    .orderBy('id')
    .execute();
  return rows.map(toEntry);
}
