// Row type of `webhook_deliveries`: the delivery queue, one row per (event, target URL).
//
// A separate table rather than columns on `outbox`: one event can have several targets, each with its own
// attempts and backoff; the outbox stays append-only; and the dispatcher's hot query seeks lane heads in an
// index of the unsettled rows instead of scanning the whole event log.
import type { Generated, Insertable, Selectable } from 'kysely';

export const DELIVERY_STATES = ['pending', 'in_flight', 'delivered', 'failed', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  event_id: string;
  /** The event's outbox `seq`: a lane is delivered in this order. */
  event_seq: number;
  session_id: string;
  url: string;
  state: DeliveryState;
  /** Attempts made so far. */
  attempts: number;
  /** When `pending`: earliest next attempt. When `in_flight`: lease expiry, after which it is retaken. */
  next_attempt_at: number;
  /** Start of the retry window; null until the first attempt (and again after a replay). */
  first_attempt_at: number | null;
  /** The node holding an `in_flight` row (null for settled rows and rows claimed before node ids existed). */
  lease_owner: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type NewWebhookDeliveryRow = Insertable<WebhookDeliveriesTable>;
