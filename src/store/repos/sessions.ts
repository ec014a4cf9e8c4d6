// Repository for `sessions`: session records, their lifecycle status and webhook settings, mapped from
// portable column types (0/1, JSON text) to a typed record.
import type { Db } from '../database.js';
import { afterCommit, databaseOf } from '../transaction.js';
import { DuplicateKeyError, ReferenceViolationError, isForeignKeyViolation, isUniqueViolation } from '../errors.js';
import type { SessionRow, SessionRowUpdate, SessionStatus } from '../tables/sessions.js';

export type { SessionStatus } from '../tables/sessions.js';

export const SESSION_ID_PATTERN = /^[a-zA-Z0-9._-]{1,64}$/;

export interface Session {
  id: string;
  ownerKeyId: string;
  label: string | null;
  status: SessionStatus;
  accessTokenHash: string | null;
  webhookUrl: string | null;
  /** The HMAC signing key, as given. Never log it. */
  webhookSecret: string | null;
  /** Event names or WARest tags to deliver; null means every event. */
  webhookEvents: string[] | null;
  autoStart: boolean;
  shouldRun: boolean;
  meId: string | null;
  meLid: string | null;
  meName: string | null;
  lastConnectedAt: number | null;
  /** send pacing for this session; null uses the gateway's defaults */
  sendIntervalMs: number | null;
  sendJitterMs: number | null;
  createdAt: number;
  updatedAt: number;
}

type Mutable = Omit<Session, 'id' | 'ownerKeyId' | 'createdAt' | 'updatedAt'>;

export type NewSession = Pick<Session, 'id' | 'ownerKeyId'> & Partial<Mutable>;
export type SessionPatch = Partial<Mutable>;

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    ownerKeyId: row.owner_key_id,
    label: row.label,
    status: row.status,
    accessTokenHash: row.access_token_hash,
    webhookUrl: row.webhook_url,
    webhookSecret: row.webhook_secret,
    webhookEvents: row.webhook_events === null ? null : (JSON.parse(row.webhook_events) as string[]),
    autoStart: row.auto_start === 1,
    shouldRun: row.should_run === 1,
    meId: row.me_id,
    meLid: row.me_lid,
    meName: row.me_name,
    lastConnectedAt: row.last_connected_at,
    sendIntervalMs: row.send_interval_ms,
    sendJitterMs: row.send_jitter_ms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);

function toRowPatch(patch: SessionPatch): SessionRowUpdate {
  const row: SessionRowUpdate = {};
  if (patch.label !== undefined) row.label = patch.label;
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.accessTokenHash !== undefined) row.access_token_hash = patch.accessTokenHash;
  if (patch.webhookUrl !== undefined) row.webhook_url = patch.webhookUrl;
  if (patch.webhookSecret !== undefined) row.webhook_secret = patch.webhookSecret;
  if (patch.webhookEvents !== undefined) {
    row.webhook_events = patch.webhookEvents === null ? null : JSON.stringify(patch.webhookEvents);
  }
  if (patch.autoStart !== undefined) row.auto_start = flag(patch.autoStart);
  if (patch.shouldRun !== undefined) row.should_run = flag(patch.shouldRun);
  if (patch.meId !== undefined) row.me_id = patch.meId;
  if (patch.meLid !== undefined) row.me_lid = patch.meLid;
  if (patch.meName !== undefined) row.me_name = patch.meName;
  if (patch.lastConnectedAt !== undefined) row.last_connected_at = patch.lastConnectedAt;
  if (patch.sendIntervalMs !== undefined) row.send_interval_ms = patch.sendIntervalMs;
  if (patch.sendJitterMs !== undefined) row.send_jitter_ms = patch.sendJitterMs;
  return row;
}

/**
 * @throws RangeError when the id does not match SESSION_ID_PATTERN.
 * @throws DuplicateKeyError when the id is taken.
 * @throws ReferenceViolationError when the owner key does not exist.
 */
export async function createSession(db: Db, input: NewSession, now = Date.now()): Promise<Session> {
  if (!SESSION_ID_PATTERN.test(input.id)) {
    throw new RangeError(`session id "${input.id}" must match ${SESSION_ID_PATTERN.source}`);
  }
  const row: SessionRow = {
    id: input.id,
    owner_key_id: input.ownerKeyId,
    label: null,
    status: 'STOPPED',
    access_token_hash: null,
    webhook_url: null,
    webhook_secret: null,
    webhook_events: null,
    auto_start: 0,
    should_run: 0,
    me_id: null,
    me_lid: null,
    me_name: null,
    last_connected_at: null,
    send_interval_ms: null,
    send_jitter_ms: null,
    ...toRowPatch(input),
    created_at: now,
    updated_at: now,
  };
  try {
    await db.insertInto('sessions').values(row).execute();
    sessionsWritten(db);
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateKeyError('sessions', `session id "${input.id}"`, { cause: err });
    if (isForeignKeyViolation(err)) {
      throw new ReferenceViolationError('sessions', `owner key ${input.ownerKeyId} does not exist`, { cause: err });
    }
    throw err;
  }
  return toSession(row);
}

/**
 * One session, as last read: kept per database (a transaction's reads share its database's) like the listings
 * below, since every send and every event asks for its session (a quarter of the queries of a text sent). Frozen:
 * callers share it. A read inside a transaction is not kept, as the transaction may yet roll back.
 */
export async function getSession(db: Db, id: string): Promise<Session | undefined> {
  const database = databaseOf(db);
  const kept = keptSessions.get(database);
  if (kept?.writes === writes && kept.byId.has(id)) return kept.byId.get(id);
  const readAt = writes;
  const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  const session = row && Object.freeze(toSession(row));
  if (!db.isTransaction && writes === readAt) {
    const current = keptSessions.get(database);
    const byId = current?.writes === readAt ? current.byId : new Map<string, Session | undefined>();
    keptSessions.set(database, { writes: readAt, byId: byId.set(id, session) });
  }
  return session;
}

export async function listSessionsByOwner(db: Db, ownerKeyId: string): Promise<Session[]> {
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('owner_key_id', '=', ownerKeyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toSession);
}

export async function listAllSessions(db: Db): Promise<Session[]> {
  const rows = await db.selectFrom('sessions').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toSession);
}

/** What a list of sessions shows of each one. */
export type SessionListing = Pick<Session, 'id' | 'status' | 'shouldRun' | 'meId' | 'meLid' | 'meName' | 'lastConnectedAt'>;

type OwnedListing = SessionListing & Pick<Session, 'ownerKeyId'>;

/**
 * Every session's listing, oldest first, as last read, kept per database. Reading 1,000 rows was half the CPU of a
 * session/list, which dashboards poll; sessions change rarely. Every write in this module moves `writes` on, at
 * the write and again after its commit, and a kept list read before the latest move is read again. Exact while
 * this process is the only writer, which a gateway is; several nodes on one PostgreSQL will have to move it on
 * when another node writes.
 */
const keptListings = new WeakMap<Db, { writes: number; listings: OwnedListing[] }>();
const keptSessions = new WeakMap<Db, { writes: number; byId: Map<string, Session | undefined> }>();
let writes = 0;

function sessionsWritten(db: Db): void {
  writes++;
  afterCommit(db, () => writes++);
}

async function allListings(db: Db): Promise<OwnedListing[]> {
  const kept = keptListings.get(db);
  if (kept?.writes === writes) return kept.listings;
  const readAt = writes;
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'owner_key_id', 'status', 'should_run', 'me_id', 'me_lid', 'me_name', 'last_connected_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const listings = rows.map((row) => ({
    id: row.id,
    ownerKeyId: row.owner_key_id,
    status: row.status,
    shouldRun: row.should_run === 1,
    meId: row.me_id,
    meLid: row.me_lid,
    meName: row.me_name,
    lastConnectedAt: row.last_connected_at,
  }));
  keptListings.set(db, { writes: readAt, listings });
  return listings;
}

/** Oldest first, only what a list shows. Without a filter, every session. */
export async function listSessionListings(db: Db, only: { ownerKeyId?: string; id?: string } = {}): Promise<SessionListing[]> {
  const listings = await allListings(db);
  return listings.filter((l) => (only.ownerKeyId === undefined || l.ownerKeyId === only.ownerKeyId) && (only.id === undefined || l.id === only.id));
}

/** Applies the given fields only. @returns the updated session, or undefined when it does not exist. */
export async function updateSession(
  db: Db,
  id: string,
  patch: SessionPatch,
  now = Date.now(),
): Promise<Session | undefined> {
  const result = await db
    .updateTable('sessions')
    .set({ ...toRowPatch(patch), updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  sessionsWritten(db);
  return result.numUpdatedRows > 0n ? getSession(db, id) : undefined;
}

/** Sets the status; reaching WORKING also stamps `lastConnectedAt`. @returns false when no such session. */
export async function setSessionStatus(db: Db, id: string, status: SessionStatus, now = Date.now()): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ status, updated_at: now, ...(status === 'WORKING' ? { last_connected_at: now } : {}) })
    .where('id', '=', id)
    .executeTakeFirst();
  sessionsWritten(db);
  return result.numUpdatedRows > 0n;
}

/** Deletes the session and (by cascade) its auth state. @returns false when no such session. */
export async function deleteSession(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
  sessionsWritten(db);
  return result.numDeletedRows > 0n;
}

/**
 * Sessions to resume on boot, most recently connected first: those meant to be running, except logged-out
 * ones (they need a new QR scan, not a reconnect loop).
 */
export async function listSessionsToResume(db: Db): Promise<Session[]> {
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('should_run', '=', 1)
    .where('status', '!=', 'LOGGED_OUT')
    // coalesce: SQLite and PostgreSQL sort NULLs at opposite ends.
    .orderBy((eb) => eb.fn.coalesce('last_connected_at', eb.lit(0)), 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toSession);
}
