// Row type of `webhook_actions`: one row per action a webhook reply asked for (WARest §6.1.5) and how it
// ended, attached to the delivery whose reply it was; deleted with that delivery (and so with its event).
import type { Generated, Insertable, Selectable } from 'kysely';

export type WebhookActionOutcome = 'ok' | 'failed' | 'refused';

export interface WebhookActionsTable {
  id: Generated<number>;
  delivery_id: number;
  event_id: string;
  session_id: string;
  /** where the entry is in the reply, e.g. `actions[2].then[0]`; `actions` or `delayMs` for the reply as a whole */
  path: string;
  /** the entry's type as the reply named it ('' when it named none) */
  type: string;
  outcome: WebhookActionOutcome;
  error: string | null;
  /** the message a send or operation produced or acted on */
  message_id: string | null;
  at: number;
}

export type WebhookActionRow = Selectable<WebhookActionsTable>;
export type NewWebhookActionRow = Insertable<WebhookActionsTable>;
