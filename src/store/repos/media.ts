// Repository for `media`: files by content address, whether their bytes are stored, the message that carried
// them (to download them again), and when they were last used (for pruning). Also the two reads media needs
// from elsewhere: the carrying message's `raw`, and the key media links are signed with.
import type { Db } from '../database.js';
import type { MediaRow } from '../tables/media.js';

/** The message a file arrived with: its bytes can be downloaded again through that session. */
export interface MediaSourceRef {
  sessionId: string;
  chat: string;
  messageId: string;
}

export interface Media {
  id: string;
  mimetype: string;
  size: number | null;
  fileName: string | null;
  stored: boolean;
  source: MediaSourceRef | null;
  createdAt: number;
  lastUsedAt: number;
}

export interface NewMedia {
  id: string;
  mimetype: string;
  size: number | null;
  fileName: string | null;
  source: MediaSourceRef | null;
}

const SIGNING_KEY_SETTING = 'media.signing-key';

function toMedia(row: MediaRow): Media {
  const source =
    row.source_session_id !== null && row.source_chat_jid !== null && row.source_message_id !== null
      ? { sessionId: row.source_session_id, chat: row.source_chat_jid, messageId: row.source_message_id }
      : null;
  return {
    id: row.id,
    mimetype: row.mimetype,
    size: row.size,
    fileName: row.file_name,
    stored: row.stored === 1,
    source,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/**
 * Records a file (not stored yet). A file already recorded keeps its type, name and first source; it only gains
 * a source when it had none (bytes stored for a send, then received) and counts as used now.
 */
export async function recordMedia(db: Db, media: NewMedia, now = Date.now()): Promise<void> {
  await db
    .insertInto('media')
    .values({
      id: media.id,
      mimetype: media.mimetype,
      size: media.size,
      file_name: media.fileName,
      stored: 0,
      source_session_id: media.source?.sessionId ?? null,
      source_chat_jid: media.source?.chat ?? null,
      source_message_id: media.source?.messageId ?? null,
      created_at: now,
      last_used_at: now,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        // The three source columns are set together, so each keeps the first non-null value consistently.
        source_session_id: eb.fn.coalesce('media.source_session_id', 'excluded.source_session_id'),
        source_chat_jid: eb.fn.coalesce('media.source_chat_jid', 'excluded.source_chat_jid'),
        source_message_id: eb.fn.coalesce('media.source_message_id', 'excluded.source_message_id'),
        last_used_at: eb.ref('excluded.last_used_at'),
      })),
    )
    .execute();
}

export async function getMedia(db: Db, id: string): Promise<Media | undefined> {
  const row = await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMedia(row);
}

/** @returns false when the file is not recorded. */
export async function markMediaStored(db: Db, id: string): Promise<boolean> {
  const result = await db.updateTable('media').set({ stored: 1 }).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Counts the file as used at `now` (never moves the time back). */
export async function touchMedia(db: Db, id: string, now = Date.now()): Promise<void> {
  await db.updateTable('media').set({ last_used_at: now }).where('id', '=', id).where('last_used_at', '<', now).execute();
}

/** Files not used since `olderThan` (epoch ms), least recently used first. */
export async function listMediaToPrune(db: Db, olderThan: number, limit: number): Promise<Media[]> {
  const rows = await db.selectFrom('media').selectAll().where('last_used_at', '<', olderThan).orderBy('last_used_at').orderBy('id').limit(limit).execute();
  return rows.map(toMedia);
}

/**
 * Deletes the record. With `unusedSince`, only while the file is still unused since then: a file used again
 * after it was listed for pruning is kept.
 * @returns false when nothing was deleted.
 */
export async function deleteMedia(db: Db, id: string, unusedSince?: number): Promise<boolean> {
  let query = db.deleteFrom('media').where('id', '=', id);
  if (unusedSince !== undefined) query = query.where('last_used_at', '<', unusedSince);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * The stored `raw` (protobuf JSON text) of the message a file arrived with: undefined when the message is not
 * stored, null when it is stored without its content.
 */
export async function sourceMessageRaw(db: Db, source: MediaSourceRef): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('messages')
    .select('raw')
    .where('session_id', '=', source.sessionId)
    .where('chat_jid', '=', source.chat)
    .where('id', '=', source.messageId)
    .executeTakeFirst();
  return row?.raw;
}

/**
 * The key media links are signed with: `candidate` becomes it when there is none yet. Every node sharing the
 * database gets the same key, whichever stored it first.
 */
export async function mediaSigningKey(db: Db, candidate: string, now = Date.now()): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key: SIGNING_KEY_SETTING, value: candidate, updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', SIGNING_KEY_SETTING).executeTakeFirstOrThrow();
  return row.value;
}
