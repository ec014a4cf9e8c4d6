// Row types of the durable send queue: `send_requests` (one accepted API request that carried an Idempotency-Key,
// and the answer it got) and `outbound_messages` (one message to one chat, with the WhatsApp id it will carry;
// `request_id` names its request, recorded or not).
import type { Generated, Insertable, Selectable } from 'kysely';

export type OutboundState = 'queued' | 'sending' | 'sent' | 'failed';

export interface SendRequestsTable {
  id: string;
  session_id: string;
  /** who asked: idempotency keys are scoped to it */
  principal: string;
  /** null only in rows recorded before requests without a key stopped being recorded */
  idempotency_key: string | null;
  /** SHA-256 of the request, so a reused key with a different request is refused */
  request_hash: string;
  /** JSON `{statusCode, body}` once answered */
  response: string | null;
  created_at: number;
}

export interface OutboundMessagesTable {
  /** acceptance order */
  seq: Generated<number>;
  session_id: string;
  /** the WhatsApp message id, fixed at acceptance */
  id: string;
  request_id: string;
  chat_jid: string;
  /** the content type (text, image, …) */
  kind: string;
  /** JSON of the stored send: content (media by content address) and options */
  content: string;
  state: OutboundState;
  attempts: number;
  /** after this (epoch ms) an unsent message fails */
  expires_at: number;
  error: string | null;
  created_at: number;
  sent_at: number | null;
}

export type SendRequestRow = Selectable<SendRequestsTable>;
export type OutboundMessageRow = Selectable<OutboundMessagesTable>;
export type NewOutboundMessageRow = Insertable<OutboundMessagesTable>;
