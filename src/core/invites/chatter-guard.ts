// The chatter guard: at most one invite-link revoke per group every `minIntervalSeconds`, measured from the last
// revoke in the lineage (so it holds across restarts, and counts revokes made on phones too), and who may force
// past it (the admin key only).
import type { Principal } from '../auth/principal.js';
import type { Db } from '../../store/database.js';
import { lastRevokedAt, type GroupRef } from '../../store/repos/invite-codes.js';
import { GatewayError } from '../errors.js';

/** Whether the caller bypasses the guard; 403 FORBIDDEN when anyone but the admin key asks to force. */
export function mayForce(principal: Principal | null, force: boolean | undefined): boolean {
  if (!force) return false;
  if (principal?.kind !== 'admin') {
    throw new GatewayError('FORBIDDEN', 'Only the admin key may force a revoke past the interval guard; drop "force" or call with the admin key');
  }
  return true;
}

/** 429 INVITE_REVOKE_TOO_SOON with Retry-After when the group's link was revoked less than the interval ago. */
export async function checkRevokeInterval(db: Db, ref: GroupRef, minIntervalSeconds: number, now = Date.now()): Promise<void> {
  if (minIntervalSeconds <= 0) return;
  const last = await lastRevokedAt(db, ref);
  if (last === undefined) return;
  const waitMs = last + minIntervalSeconds * 1000 - now;
  if (waitMs <= 0) return;
  const retryAfterSeconds = Math.ceil(waitMs / 1000);
  throw new GatewayError(
    'INVITE_REVOKE_TOO_SOON',
    `The invite link of ${ref.groupId} was revoked ${Math.floor((now - last) / 1000)} s ago; revoke again in ${retryAfterSeconds} s ` +
      `(at most one revoke per group every ${minIntervalSeconds} s), or send "force": true with the admin key`,
    { retryAfterSeconds, details: { groupId: ref.groupId, lastRevokedAt: new Date(last).toISOString(), retryAfterSeconds } },
  );
}
