// Row type of `outbox`: the append-only, durable log of canonical events.
import type { Generated, Insertable, Selectable } from 'kysely';

export interface OutboxTable {
  /** Commit-ordered position in the log (autoincrement). */
  seq: Generated<number>;
  /** Stable event id (UUID) that receivers de-duplicate on. */
  id: string;
  session_id: string;
  /** Canonical dotted event name, e.g. `session.status`. */
  event: string;
  /** JSON text. */
  payload: string;
  created_at: number;
}

export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
