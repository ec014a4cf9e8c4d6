// The migration list: a static provider (no filesystem scanning), each migration given the dialect so it can
// pick dialect-specific column types. Append new migrations here; names sort by their ISO-date prefix.
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../database.js';
import * as initial from './2026-11-23-initial.js';
import * as invites from './2026-11-24-invites.js';
import * as webhookLanes from './2026-11-25-webhook-lanes.js';
import * as messaging from './2026-12-05-messaging.js';
import * as webhookActions from './2026-12-05-webhook-actions.js';
import * as chats from './2026-12-06-chats.js';
import * as sessionListOrder from './2026-12-07-session-list-order.js';
import * as webhookUnsettledLanes from './2026-12-08-webhook-unsettled-lanes.js';

interface DialectMigration {
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

const MIGRATIONS: Record<string, DialectMigration> = {
  '2026-11-23-initial': initial,
  '2026-11-24-invites': invites,
  '2026-11-25-webhook-lanes': webhookLanes,
  '2026-12-05-messaging': messaging,
  '2026-12-05-webhook-actions': webhookActions,
  '2026-12-06-chats': chats,
  '2026-12-07-session-list-order': sessionListOrder,
  '2026-12-08-webhook-unsettled-lanes': webhookUnsettledLanes,
};

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const bound: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(MIGRATIONS)) {
        bound[name] = { up: (db) => migration.up(db, dialect) };
      }
      return bound;
    },
  };
}
