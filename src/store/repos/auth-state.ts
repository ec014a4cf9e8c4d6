// Repository for the engine's auth state: `auth_creds` (one row per session) and `auth_keys` (Signal keys).
// Both tables live here because they are one concept that is read, written and purged together.
// Values are opaque strings serialised by the engine adapter.
import type { Db } from '../database.js';
import { MAX_PARAMS, chunk } from '../chunk.js';
import { preparedQuery, rowParams, rowsOf, type RowValues } from '../prepared-query.js';
import { transaction } from '../transaction.js';

/** Per key type, per key id: the serialised value, or null to delete the key. */
export type AuthKeyWrites = Record<string, Record<string, string | null>>;

const UPSERT_COLUMNS = ['session_id', 'type', 'key_id', 'value'] as const;
// Two parameters of each keyed statement are taken by session_id and type.
const IDS_PER_STATEMENT = MAX_PARAMS - 2;
const ROWS_PER_INSERT = Math.floor(MAX_PARAMS / UPSERT_COLUMNS.length);

export async function getCreds(db: Db, sessionId: string): Promise<string | undefined> {
  const row = await db.selectFrom('auth_creds').select('creds').where('session_id', '=', sessionId).executeTakeFirst();
  return row?.creds;
}

export async function saveCreds(db: Db, sessionId: string, creds: string, now = Date.now()): Promise<void> {
  await db
    .insertInto('auth_creds')
    .values({ session_id: sessionId, creds, updated_at: now })
    .onConflict((oc) => oc.column('session_id').doUpdateSet({ creds, updated_at: now }))
    .execute();
}

/** @returns the values found, by key id; missing ids are absent from the map. */
export async function getKeys(db: Db, sessionId: string, type: string, ids: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const batch of chunk(ids, IDS_PER_STATEMENT)) {
    const rows = await db
      .selectFrom('auth_keys')
      .select(['key_id', 'value'])
      .where('session_id', '=', sessionId)
      .where('type', '=', type)
      .where('key_id', 'in', batch)
      .execute();
    for (const row of rows) found.set(row.key_id, row.value);
  }
  return found;
}

const upsertKeysQuery = preparedQuery((db: Db, p: RowValues, shape: string) =>
  db
    .insertInto('auth_keys')
    .values(rowsOf(p, UPSERT_COLUMNS, Number(shape)) as { session_id: string; type: string; key_id: string; value: string }[])
    .onConflict((oc) => oc.columns(['session_id', 'type', 'key_id']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
);

/** Upserts and deletes (null values) atomically, joining the caller's transaction if given one. */
export async function setKeys(db: Db, sessionId: string, writes: AuthKeyWrites): Promise<void> {
  const upserts: { session_id: string; type: string; key_id: string; value: string }[] = [];
  const deletes = new Map<string, string[]>();
  for (const [type, entries] of Object.entries(writes)) {
    const deletedIds: string[] = [];
    for (const [keyId, value] of Object.entries(entries)) {
      if (value === null) deletedIds.push(keyId);
      else upserts.push({ session_id: sessionId, type, key_id: keyId, value });
    }
    if (deletedIds.length > 0) deletes.set(type, deletedIds);
  }
  if (upserts.length === 0 && deletes.size === 0) return;
  // The common write (a send's or a message's ratchet step) is one statement, atomic by itself: no transaction,
  // which on SQLite would be a savepoint of its own inside the writes committed together.
  if (deletes.size === 0 && upserts.length <= ROWS_PER_INSERT) {
    await upsertKeysQuery(db, rowParams(upserts), String(upserts.length));
    return;
  }

  await transaction(db, async (trx) => {
    for (const batch of chunk(upserts, ROWS_PER_INSERT)) {
      await upsertKeysQuery(trx, rowParams(batch), String(batch.length));
    }
    for (const [type, keyIds] of deletes) {
      for (const batch of chunk(keyIds, IDS_PER_STATEMENT)) {
        await trx
          .deleteFrom('auth_keys')
          .where('session_id', '=', sessionId)
          .where('type', '=', type)
          .where('key_id', 'in', batch)
          .execute();
      }
    }
  });
}

/** Removes the session's creds and every key (logout). */
export async function purgeAuthState(db: Db, sessionId: string): Promise<void> {
  await transaction(db, async (trx) => {
    await trx.deleteFrom('auth_keys').where('session_id', '=', sessionId).execute();
    await trx.deleteFrom('auth_creds').where('session_id', '=', sessionId).execute();
  });
}
