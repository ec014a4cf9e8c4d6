// Repository for `invite_codes`: the invite-code lineage of a group as one session saw it — the current code,
// adding a code, marking one revoked, the whole list, and when the last revoke happened.
import type { Db } from '../database.js';
import type { InviteCodeRow, InviteCodeSource } from '../tables/invite-codes.js';

export type { InviteCodeSource } from '../tables/invite-codes.js';

export type RevokerKind = 'api_key' | 'session_token' | 'policy' | 'phone';

/** Who revoked a code: an API key, a session access token, an invite policy, or a human on a phone. */
export interface Revoker {
  kind: RevokerKind;
  /** key id, session id or policy rule */
  id?: string;
  name?: string;
  /** the phone's account (phone revokes) */
  jid?: string;
  lid?: string | null;
}

export interface InviteCode {
  id: number;
  sessionId: string;
  groupId: string;
  code: string;
  seenAt: number;
  seenVia: InviteCodeSource;
  revokedAt: number | null;
  revokedBy: Revoker | null;
}

export interface GroupRef {
  sessionId: string;
  groupId: string;
}

function toInviteCode(row: InviteCodeRow): InviteCode {
  return {
    id: row.id,
    sessionId: row.session_id,
    groupId: row.group_id,
    code: row.code,
    seenAt: row.seen_at,
    seenVia: row.seen_via,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by === null ? null : (JSON.parse(row.revoked_by) as Revoker),
  };
}

function ofGroup(db: Db, ref: GroupRef) {
  return db.selectFrom('invite_codes').selectAll().where('session_id', '=', ref.sessionId).where('group_id', '=', ref.groupId);
}

/** The newest code not revoked yet; undefined when the group has no known code. */
export async function currentInviteCode(db: Db, ref: GroupRef): Promise<InviteCode | undefined> {
  const row = await ofGroup(db, ref).where('revoked_at', 'is', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row && toInviteCode(row);
}

export async function findInviteCode(db: Db, ref: GroupRef, code: string): Promise<InviteCode | undefined> {
  const row = await ofGroup(db, ref).where('code', '=', code).executeTakeFirst();
  return row && toInviteCode(row);
}

/** Every code of the group, oldest first. */
export async function listInviteCodes(db: Db, ref: GroupRef): Promise<InviteCode[]> {
  const rows = await ofGroup(db, ref).orderBy('id').execute();
  return rows.map(toInviteCode);
}

export async function insertInviteCode(
  db: Db,
  input: GroupRef & { code: string; seenVia: InviteCodeSource; seenAt: number },
): Promise<InviteCode> {
  const row = {
    session_id: input.sessionId,
    group_id: input.groupId,
    code: input.code,
    seen_at: input.seenAt,
    seen_via: input.seenVia,
    revoked_at: null,
    revoked_by: null,
  };
  const { id } = await db.insertInto('invite_codes').values(row).returning('id').executeTakeFirstOrThrow();
  return toInviteCode({ id, ...row });
}

export async function markInviteCodeRevoked(db: Db, id: number, revokedAt: number, revokedBy: Revoker | null): Promise<void> {
  await db
    .updateTable('invite_codes')
    .set({ revoked_at: revokedAt, revoked_by: revokedBy === null ? null : JSON.stringify(revokedBy) })
    .where('id', '=', id)
    .execute();
}

/** When a code of the group was last revoked (by anyone), or undefined. */
export async function lastRevokedAt(db: Db, ref: GroupRef): Promise<number | undefined> {
  const row = await db
    .selectFrom('invite_codes')
    .select((eb) => eb.fn.max('revoked_at').as('last'))
    .where('session_id', '=', ref.sessionId)
    .where('group_id', '=', ref.groupId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? undefined : Number(row.last);
}
