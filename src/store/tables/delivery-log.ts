// Row type of `delivery_log`: one row per webhook delivery attempt, pruned by age and count.
import type { Generated, Insertable, Selectable } from 'kysely';

export interface DeliveryLogTable {
  id: Generated<number>;
  event_id: string;
  session_id: string;
  url: string;
  attempt: number;
  /** HTTP status, or null when the attempt failed before a response. */
  status: number | null;
  error: string | null;
  duration_ms: number;
  at: number;
}

export type DeliveryLogRow = Selectable<DeliveryLogTable>;
export type NewDeliveryLogRow = Insertable<DeliveryLogTable>;
