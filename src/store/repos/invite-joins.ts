// Repository for `invite_joins`: joins through a group's invite link (straight in, or by an approved join
// request), pending requests, and the counts the flood breaker needs.
import type { Db } from '../database.js';
import type { InviteJoinMethod, InviteJoinRow } from '../tables/invite-joins.js';
import type { GroupRef } from './invite-codes.js';

export interface InviteJoin {
  id: number;
  sessionId: string;
  groupId: string;
  code: string | null;
  participant: { jid: string; lid: string | null };
  method: InviteJoinMethod;
  requestedAt: number | null;
  /** null while the join request is pending */
  joinedAt: number | null;
}

export interface NewInviteJoin extends GroupRef {
  code: string | null;
  participant: { jid: string; lid: string | null };
  method: InviteJoinMethod;
  requestedAt?: number | null;
  joinedAt?: number | null;
}

function toJoin(row: InviteJoinRow): InviteJoin {
  return {
    id: row.id,
    sessionId: row.session_id,
    groupId: row.group_id,
    code: row.code,
    participant: { jid: row.participant_jid, lid: row.participant_lid },
    method: row.method,
    requestedAt: row.requested_at,
    joinedAt: row.joined_at,
  };
}

function ofGroup(db: Db, ref: GroupRef) {
  return db.selectFrom('invite_joins').selectAll().where('session_id', '=', ref.sessionId).where('group_id', '=', ref.groupId);
}

export async function insertInviteJoin(db: Db, input: NewInviteJoin): Promise<InviteJoin> {
  const row = {
    session_id: input.sessionId,
    group_id: input.groupId,
    code: input.code,
    participant_jid: input.participant.jid,
    participant_lid: input.participant.lid,
    method: input.method,
    requested_at: input.requestedAt ?? null,
    joined_at: input.joinedAt ?? null,
  };
  const { id } = await db.insertInto('invite_joins').values(row).returning('id').executeTakeFirstOrThrow();
  return toJoin({ id, ...row });
}

/** The newest pending join request of a participant (matched by PN JID or LID). */
export async function findPendingRequest(db: Db, ref: GroupRef, who: { jid: string; lid: string | null }): Promise<InviteJoin | undefined> {
  const row = await ofGroup(db, ref)
    .where('method', '=', 'request')
    .where('joined_at', 'is', null)
    .where((eb) => {
      const ids = [who.jid, who.lid].filter((id): id is string => !!id);
      return eb.or([eb('participant_jid', 'in', ids), eb('participant_lid', 'in', ids)]);
    })
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toJoin(row);
}

export async function markJoined(db: Db, id: number, joinedAt: number): Promise<void> {
  await db.updateTable('invite_joins').set({ joined_at: joinedAt }).where('id', '=', id).execute();
}

/** Drops a participant's pending requests (withdrawn or rejected). */
export async function deletePendingRequests(db: Db, ref: GroupRef, who: { jid: string; lid: string | null }): Promise<void> {
  const ids = [who.jid, who.lid].filter((id): id is string => !!id);
  await db
    .deleteFrom('invite_joins')
    .where('session_id', '=', ref.sessionId)
    .where('group_id', '=', ref.groupId)
    .where('method', '=', 'request')
    .where('joined_at', 'is', null)
    .where((eb) => eb.or([eb('participant_jid', 'in', ids), eb('participant_lid', 'in', ids)]))
    .execute();
}

/** Completed joins of the group, oldest first. */
export async function listInviteJoins(db: Db, ref: GroupRef): Promise<InviteJoin[]> {
  const rows = await ofGroup(db, ref).where('joined_at', 'is not', null).orderBy('joined_at').orderBy('id').execute();
  return rows.map(toJoin);
}

/** Joins through `code` at or after `since`. */
export async function countJoinsSince(db: Db, ref: GroupRef, code: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('invite_joins')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('session_id', '=', ref.sessionId)
    .where('group_id', '=', ref.groupId)
    .where('code', '=', code)
    .where('joined_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
