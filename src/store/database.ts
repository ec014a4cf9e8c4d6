// The database schema type: composes one interface per table (see ./tables/) into what Kysely is typed with.
import type { Kysely } from 'kysely';
import type { ApiKeysTable } from './tables/api-keys.js';
import type { AuthCredsTable } from './tables/auth-creds.js';
import type { AuthKeysTable } from './tables/auth-keys.js';
import type { ChatsTable, ContactsTable } from './tables/chats.js';
import type { DeliveryLogTable } from './tables/delivery-log.js';
import type { InviteCodesTable } from './tables/invite-codes.js';
import type { InviteJoinsTable } from './tables/invite-joins.js';
import type { InvitePoliciesTable } from './tables/invite-policies.js';
import type { MediaTable } from './tables/media.js';
import type { MessageReactionsTable, MessagesTable } from './tables/messages.js';
import type { OutboundMessagesTable, SendRequestsTable } from './tables/outbound.js';
import type { OutboxTable } from './tables/outbox.js';
import type { SessionsTable } from './tables/sessions.js';
import type { SettingsTable } from './tables/settings.js';
import type { WebhookActionsTable } from './tables/webhook-actions.js';
import type { WebhookDeliveriesTable } from './tables/webhook-deliveries.js';

export interface Database {
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  auth_creds: AuthCredsTable;
  auth_keys: AuthKeysTable;
  outbox: OutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  delivery_log: DeliveryLogTable;
  settings: SettingsTable;
  invite_codes: InviteCodesTable;
  invite_joins: InviteJoinsTable;
  invite_policies: InvitePoliciesTable;
  messages: MessagesTable;
  message_reactions: MessageReactionsTable;
  send_requests: SendRequestsTable;
  outbound_messages: OutboundMessagesTable;
  media: MediaTable;
  webhook_actions: WebhookActionsTable;
  chats: ChatsTable;
  contacts: ContactsTable;
}

export type Dialect = 'sqlite' | 'postgres';

/** A database handle or a transaction: repository functions accept either as their first argument. */
export type Db = Kysely<Database>;
