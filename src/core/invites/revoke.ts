// The one revoke path, for API calls and invite policies alike: admin check before acting, the chatter guard,
// the previous code made known, WhatsApp's revoke, and the lineage record with its event — all under the
// group's lock, so the engine's echo of this revoke finds the new code already recorded and is ignored.
import type { ContactRef } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import type { Revoker } from '../../store/repos/invite-codes.js';
import { requireAdmin, type GroupContext } from '../groups/group-context.js';
import { checkRevokeInterval } from './chatter-guard.js';
import { refusingInGroup } from '../groups/group-call.js';
import { groupKey, type KeyedLock } from './keyed-lock.js';
import { inviteLink, knownOrFetchedCode, recordCodeChange } from './ledger.js';

export interface RevokeDeps {
  db: Db;
  lock: KeyedLock;
  minIntervalSeconds: number;
}

export interface RevokeRequest {
  ctx: GroupContext;
  revokedBy: Revoker;
  via: 'api' | 'policy';
  /** skip the chatter guard: the admin key's `force`, and policies */
  bypassGuard: boolean;
  /** revoke only while this is still the current code (a policy reacting to a join must not revoke twice) */
  onlyIfCurrent?: string;
}

export interface RevokeOutcome {
  code: string;
  previousCode: string;
  inviteLink: string;
}

function ourNumber(ctx: GroupContext): ContactRef | null {
  const me = ctx.engine.me;
  return me ? { jid: me.id, lid: me.lid, pn: me.id } : null;
}

/** @returns the new code, or undefined when `onlyIfCurrent` no longer matches (nothing was done). */
export function revokeInvite(deps: RevokeDeps, request: RevokeRequest): Promise<RevokeOutcome | undefined> {
  const { ctx } = request;
  const ref = { sessionId: ctx.session.id, groupId: ctx.groupId };
  return deps.lock.run(groupKey(ref.sessionId, ref.groupId), async () => {
    await requireAdmin(ctx, 'revoke the invite link');
    if (!request.bypassGuard) await checkRevokeInterval(deps.db, ref, deps.minIntervalSeconds);
    const previousCode = await knownOrFetchedCode(deps.db, ref, ctx.engine);
    if (request.onlyIfCurrent !== undefined && previousCode !== request.onlyIfCurrent) return undefined;
    const code = await refusingInGroup(ctx, { kind: 'invite-admin', groupId: ctx.groupId }, () => ctx.engine.groups.revokeInvite(ctx.groupId));
    await recordCodeChange(deps.db, { ...ref, code, via: request.via, author: ourNumber(ctx), revokedBy: request.revokedBy });
    return { code, previousCode, inviteLink: inviteLink(code) };
  });
}
