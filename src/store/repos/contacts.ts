// Repository for `contacts`: the people a session knows, by PN JID when known (else LID), with both identities
// and the names WhatsApp gives them (address book, push name, verified business name). Upserts set only the
// fields given, so a push name never erases an address-book name and vice versa.
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../database.js';
import { preparedQuery } from '../prepared-query.js';
import type { ContactRow } from '../tables/chats.js';
import { containsPattern } from './chats.js';

export type { ContactRow } from '../tables/chats.js';

export interface ContactInput {
  jid: string;
  pn?: string | null;
  lid?: string | null;
  name?: string | null;
  notify?: string | null;
  verifiedName?: string | null;
}

type Column = 'pn' | 'lid' | 'name' | 'notify' | 'verified_name';

function columnsOf(contact: ContactInput): Partial<Record<Column, string | null>> {
  const out: Partial<Record<Column, string | null>> = {};
  if (contact.pn !== undefined && contact.pn !== null) out.pn = contact.pn;
  if (contact.lid !== undefined && contact.lid !== null) out.lid = contact.lid;
  if (contact.name !== undefined) out.name = contact.name;
  if (contact.notify !== undefined) out.notify = contact.notify;
  if (contact.verifiedName !== undefined) out.verified_name = contact.verifiedName;
  return out;
}

const COLUMNS: readonly Column[] = ['pn', 'lid', 'name', 'notify', 'verified_name'];

/** Upserts one contact setting the columns its shape names (comma-separated, in COLUMNS order). */
const upsertContactQuery = preparedQuery((db: Db, p: Record<Column, string | null> & { sessionId: string; jid: string; now: number }, shape: string) => {
  const given = shape.split(',').filter((column): column is Column => (COLUMNS as readonly string[]).includes(column));
  const columns = Object.fromEntries(given.map((column) => [column, p[column]]));
  return db
    .insertInto('contacts')
    .values({ session_id: p.sessionId, jid: p.jid, pn: null, lid: null, name: null, notify: null, verified_name: null, updated_at: p.now, ...columns })
    .onConflict((oc) => oc.columns(['session_id', 'jid']).doUpdateSet({ ...columns, updated_at: p.now }));
});

/** Creates or updates contacts, each setting only the fields it carries (one statement per contact). */
export async function upsertContacts(db: Db, sessionId: string, contacts: readonly ContactInput[], now = Date.now()): Promise<void> {
  for (const contact of contacts) {
    const columns = columnsOf(contact);
    const shape = COLUMNS.filter((column) => column in columns).join(',');
    await upsertContactQuery(db, { pn: null, lid: null, name: null, notify: null, verified_name: null, ...columns, sessionId, jid: contact.jid, now }, shape);
  }
}

/**
 * Records that `pn` and `lid` are one person: a contact known only by its LID is re-keyed to its PN JID (merged
 * into the PN contact when both exist), a PN contact learns its LID. Nobody new is added.
 */
export async function linkContactIdentity(db: Db, sessionId: string, pn: string, lid: string, now = Date.now()): Promise<void> {
  const [byPn, byLid] = await Promise.all([findContact(db, sessionId, pn), db.selectFrom('contacts').selectAll().where('session_id', '=', sessionId).where('jid', '=', lid).executeTakeFirst()]);
  if (byLid && byPn && byPn.jid !== byLid.jid) {
    await db
      .updateTable('contacts')
      .set({ lid, name: byPn.name ?? byLid.name, notify: byPn.notify ?? byLid.notify, verified_name: byPn.verified_name ?? byLid.verified_name, updated_at: now })
      .where('session_id', '=', sessionId)
      .where('jid', '=', byPn.jid)
      .execute();
    await db.deleteFrom('contacts').where('session_id', '=', sessionId).where('jid', '=', lid).execute();
    return;
  }
  if (byLid) {
    await db.updateTable('contacts').set({ jid: pn, pn, lid, updated_at: now }).where('session_id', '=', sessionId).where('jid', '=', lid).execute();
    return;
  }
  if (byPn && byPn.lid !== lid) await db.updateTable('contacts').set({ lid, updated_at: now }).where('session_id', '=', sessionId).where('jid', '=', byPn.jid).execute();
}

/** A contact by its JID, PN or LID. */
export async function findContact(db: Db, sessionId: string, jid: string): Promise<ContactRow | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where((eb) => eb.or([eb('jid', '=', jid), eb('pn', '=', jid), eb('lid', '=', jid)]))
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
}

export interface ContactListQuery {
  limit: number;
  offset: number;
  search?: string;
  exclude?: string[];
}

/** A page of a session's contacts (people, not groups), by name then JID, with the total. */
export async function listContacts(db: Db, sessionId: string, query: ContactListQuery): Promise<{ total: number; rows: ContactRow[] }> {
  const name = sql<string>`lower(coalesce(verified_name, name, notify, jid))`;
  let base = db.selectFrom('contacts').where('session_id', '=', sessionId).where('jid', 'not like', '%@g.us');
  if (query.exclude?.length) base = base.where('jid', 'not in', query.exclude);
  if (query.search) base = base.where(sql<SqlBool>`${name} like ${containsPattern(query.search)} escape '\\'`);
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await base.selectAll().orderBy(name).orderBy('jid').limit(query.limit).offset(query.offset).execute();
  return { total: Number(count?.n ?? 0), rows };
}
