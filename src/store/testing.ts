// Test support: opens a throw-away store on each dialect. SQLite gets a temp directory; PostgreSQL
// (WAYGATE_TEST_PG, default the local test server) gets a fresh schema, so parallel test files never collide.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db, Dialect } from './database.js';
import { openDatabase, type Store } from './open-database.js';
import { createApiKey } from './repos/api-keys.js';
import { createSession, type Session, type SessionPatch } from './repos/sessions.js';

export const TEST_DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

const PG_URL = process.env.WAYGATE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';

async function openPostgres(port?: number): Promise<Store> {
  const schema = `wg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const dropSchema = async () => {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  };
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  if (port !== undefined) url.port = String(port);
  let store: Store;
  try {
    store = await openDatabase({ url: url.toString(), dataDir: tmpdir() });
  } catch (err) {
    await dropSchema();
    throw err;
  }
  return {
    ...store,
    async close() {
      await store.close();
      await dropSchema();
    },
  };
}

async function openSqlite(): Promise<Store> {
  const dataDir = await mkdtemp(join(tmpdir(), 'waygate-test-'));
  const store = await openDatabase({ dataDir });
  return {
    ...store,
    async close() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A migrated, empty store; `close()` also deletes it. `pgPort` reaches the PostgreSQL server through another port
 * of this host (a proxy a test can cut).
 */
export function openTestStore(dialect: Dialect, pgPort?: number): Promise<Store> {
  return dialect === 'sqlite' ? openSqlite() : openPostgres(pgPort);
}

/** Creates an owner key and a session owned by it; `patch` sets session fields. */
export async function seedSession(db: Db, id: string, patch: SessionPatch = {}): Promise<Session> {
  const owner = await createApiKey(db, { name: `owner-${id}`, keyHash: randomBytes(32).toString('hex') });
  return createSession(db, { id, ownerKeyId: owner.id, ...patch });
}
