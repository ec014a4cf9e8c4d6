// Repository for `invite_policies`: one group's invite automations (scheduled revoke, rotation, one-time link,
// flood breaker), their active/disabled state, and the policies the scheduler must arm on start.
import type { Db } from '../database.js';
import type { InvitePoliciesTable, InvitePolicyRow, InvitePolicyStatus } from '../tables/invite-policies.js';
import type { GroupRef } from './invite-codes.js';

export type { InvitePolicyStatus } from '../tables/invite-policies.js';

export interface FloodBreaker {
  maxJoins: number;
  windowSeconds: number;
  enableApproval: boolean;
}

export interface InviteRules {
  /** epoch ms of a one-shot revoke */
  revokeAt: number | null;
  /** rotation interval in seconds */
  rotateEvery: number | null;
  /** epoch ms of the next rotation */
  nextRotateAt: number | null;
  oneTime: boolean;
  floodBreaker: FloodBreaker | null;
}

export interface InvitePolicy extends GroupRef, InviteRules {
  status: InvitePolicyStatus;
  disabledReason: string | null;
  lastFiredAt: number | null;
  lastFiredRule: string | null;
  createdAt: number;
  updatedAt: number;
}

export type InvitePolicyPatch = Partial<InviteRules & Pick<InvitePolicy, 'status' | 'disabledReason' | 'lastFiredAt' | 'lastFiredRule'>>;

function toPolicy(row: InvitePolicyRow): InvitePolicy {
  const flood = row.flood_max_joins !== null && row.flood_window_seconds !== null;
  return {
    sessionId: row.session_id,
    groupId: row.group_id,
    revokeAt: row.revoke_at,
    rotateEvery: row.rotate_every,
    nextRotateAt: row.next_rotate_at,
    oneTime: row.one_time === 1,
    floodBreaker: flood
      ? { maxJoins: row.flood_max_joins!, windowSeconds: row.flood_window_seconds!, enableApproval: row.flood_enable_approval === 1 }
      : null,
    status: row.status,
    disabledReason: row.disabled_reason,
    lastFiredAt: row.last_fired_at,
    lastFiredRule: row.last_fired_rule,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRowPatch(patch: InvitePolicyPatch): Partial<InvitePoliciesTable> {
  const row: Partial<InvitePoliciesTable> = {};
  if (patch.revokeAt !== undefined) row.revoke_at = patch.revokeAt;
  if (patch.rotateEvery !== undefined) row.rotate_every = patch.rotateEvery;
  if (patch.nextRotateAt !== undefined) row.next_rotate_at = patch.nextRotateAt;
  if (patch.oneTime !== undefined) row.one_time = patch.oneTime ? 1 : 0;
  if (patch.floodBreaker !== undefined) {
    row.flood_max_joins = patch.floodBreaker?.maxJoins ?? null;
    row.flood_window_seconds = patch.floodBreaker?.windowSeconds ?? null;
    row.flood_enable_approval = patch.floodBreaker?.enableApproval ? 1 : 0;
  }
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.disabledReason !== undefined) row.disabled_reason = patch.disabledReason;
  if (patch.lastFiredAt !== undefined) row.last_fired_at = patch.lastFiredAt;
  if (patch.lastFiredRule !== undefined) row.last_fired_rule = patch.lastFiredRule;
  return row;
}

export async function getInvitePolicy(db: Db, ref: GroupRef): Promise<InvitePolicy | undefined> {
  const row = await db
    .selectFrom('invite_policies')
    .selectAll()
    .where('session_id', '=', ref.sessionId)
    .where('group_id', '=', ref.groupId)
    .executeTakeFirst();
  return row && toPolicy(row);
}

/** Creates or replaces the group's rules; the policy is (again) active. */
export async function saveInvitePolicy(db: Db, ref: GroupRef, rules: InviteRules, now = Date.now()): Promise<InvitePolicy> {
  const values = {
    session_id: ref.sessionId,
    group_id: ref.groupId,
    revoke_at: null,
    rotate_every: null,
    next_rotate_at: null,
    one_time: 0 as const,
    flood_max_joins: null,
    flood_window_seconds: null,
    flood_enable_approval: 0 as const,
    ...toRowPatch(rules),
    status: 'active' as const,
    disabled_reason: null,
    updated_at: now,
  };
  await db
    .insertInto('invite_policies')
    .values({ ...values, last_fired_at: null, last_fired_rule: null, created_at: now })
    .onConflict((oc) => oc.columns(['session_id', 'group_id']).doUpdateSet(values))
    .execute();
  return (await getInvitePolicy(db, ref))!;
}

/** Applies the given fields only. @returns false when the group has no policy. */
export async function updateInvitePolicy(db: Db, ref: GroupRef, patch: InvitePolicyPatch, now = Date.now()): Promise<boolean> {
  const result = await db
    .updateTable('invite_policies')
    .set({ ...toRowPatch(patch), updated_at: now })
    .where('session_id', '=', ref.sessionId)
    .where('group_id', '=', ref.groupId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** @returns false when the group had no policy. */
export async function deleteInvitePolicy(db: Db, ref: GroupRef): Promise<boolean> {
  const result = await db
    .deleteFrom('invite_policies')
    .where('session_id', '=', ref.sessionId)
    .where('group_id', '=', ref.groupId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A session's active policies with a time-based rule (scheduled revoke or rotation): what the scheduler arms. */
export async function listScheduledPolicies(db: Db, sessionId: string): Promise<InvitePolicy[]> {
  const rows = await db
    .selectFrom('invite_policies')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('revoke_at', 'is not', null), eb('next_rotate_at', 'is not', null)]))
    .execute();
  return rows.map(toPolicy);
}
