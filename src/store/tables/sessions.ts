// Row type of `sessions`: one WhatsApp session, its owner, lifecycle status and webhook target.
import type { Insertable, Selectable, Updateable } from 'kysely';

export const SESSION_STATUSES = [
  'STOPPED',
  'STARTING',
  'SCAN_QR_CODE',
  'WORKING',
  'FAILED',
  'LOGGED_OUT',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface SessionsTable {
  id: string;
  owner_key_id: string;
  label: string | null;
  status: SessionStatus;
  access_token_hash: string | null;
  webhook_url: string | null;
  /**
   * Stored as given, not hashed: it is the HMAC key we sign webhooks with, so we must be able to read it
   * back. Never log it.
   */
  webhook_secret: string | null;
  /** JSON array of event names or WARest tags; null means every event. */
  webhook_events: string | null;
  auto_start: 0 | 1;
  /** 1 while the session is meant to be running; boot resumes these. */
  should_run: 0 | 1;
  me_id: string | null;
  me_lid: string | null;
  me_name: string | null;
  last_connected_at: number | null;
  /** per-session send pacing; null uses WAYGATE_SEND_INTERVAL_MS / WAYGATE_SEND_JITTER_MS */
  send_interval_ms: number | null;
  send_jitter_ms: number | null;
  created_at: number;
  updated_at: number;
}

export type SessionRow = Selectable<SessionsTable>;
export type NewSessionRow = Insertable<SessionsTable>;
export type SessionRowUpdate = Updateable<SessionsTable>;
