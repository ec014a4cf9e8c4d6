// What invite policies do: fire a rule through the one revoke path (revoked by `policy`), turn on join approval
// when the flood breaker says so, report `group.invite_policy` (fired / disabled), and disable a policy that can
// no longer act (our number is not an admin any more) with the reason. One policy acts at a time per group.
import { appendEvent } from '../../events/outbox.js';
import type { Db } from '../../store/database.js';
import type { GroupRef } from '../../store/repos/invite-codes.js';
import { countJoinsSince } from '../../store/repos/invite-joins.js';
import { getInvitePolicy, updateInvitePolicy, type InvitePolicy, type InvitePolicyPatch } from '../../store/repos/invite-policies.js';
import { transaction } from '../../store/transaction.js';
import { GatewayError, type AppCodeName } from '../errors.js';
import type { GroupContext } from '../groups/group-context.js';
import type { RuntimeLogger } from '../sessions/session-runtime.js';
import { groupKey, KeyedLock } from './keyed-lock.js';
import type { RevokeOutcome, RevokeRequest } from './revoke.js';

export type PolicyRule = 'revoke_at' | 'rotate_every' | 'one_time' | 'flood_breaker';

export interface PolicyRunnerDeps {
  db: Db;
  logger: RuntimeLogger;
  revoke(request: RevokeRequest): Promise<RevokeOutcome | undefined>;
  /** the group context to act in; throws when the session is gone or not connected */
  context(ref: GroupRef): Promise<GroupContext>;
}

interface FireOptions {
  /** stored with the outcome (a one-shot time cleared, the next rotation) */
  patch?: InvitePolicyPatch;
  onlyIfCurrent?: string;
  enableApproval?: boolean;
  details?: Record<string, unknown>;
}

/** Refusals that retrying will not cure: the policy is disabled instead. */
const CANNOT_ACT = new Set<AppCodeName>(['GROUP_NOT_ADMIN', 'GROUP_NOT_MEMBER', 'GROUP_NOT_FOUND', 'SESSION_NOT_FOUND']);

/** When the scheduler must next look at the policy; null when it has no time-based rule (or is disabled). */
export function nextDueAt(policy: InvitePolicy): number | null {
  if (policy.status !== 'active') return null;
  const times = [policy.revokeAt, policy.nextRotateAt].filter((at): at is number => at !== null);
  return times.length ? Math.min(...times) : null;
}

export class PolicyRunner {
  private readonly lock = new KeyedLock();

  constructor(private readonly deps: PolicyRunnerDeps) {}

  /** Fires the time-based rule that is due. @returns when to look again (null: nothing scheduled). */
  runDue(ref: GroupRef, now = Date.now()): Promise<number | null> {
    return this.lock.run(groupKey(ref.sessionId, ref.groupId), async () => {
      const policy = await getInvitePolicy(this.deps.db, ref);
      if (!policy || policy.status !== 'active') return null;
      const revokeDue = policy.revokeAt !== null && policy.revokeAt <= now;
      const rotateDue = policy.nextRotateAt !== null && policy.nextRotateAt <= now;
      if (revokeDue || rotateDue) {
        // However long the gateway was down, a due schedule fires once; the rotation restarts from now.
        const patch: InvitePolicyPatch = {};
        if (revokeDue) patch.revokeAt = null;
        if (rotateDue) patch.nextRotateAt = now + policy.rotateEvery! * 1000;
        await this.fire(policy, revokeDue ? 'revoke_at' : 'rotate_every', { patch });
      }
      const latest = await getInvitePolicy(this.deps.db, ref);
      return latest ? nextDueAt(latest) : null;
    });
  }

  /** A join through `code` was recorded: the one-time link and the flood breaker react to it. */
  afterJoin(ref: GroupRef, code: string): Promise<void> {
    return this.lock.run(groupKey(ref.sessionId, ref.groupId), async () => {
      const policy = await getInvitePolicy(this.deps.db, ref);
      if (!policy || policy.status !== 'active') return;
      if (policy.oneTime) return this.fire(policy, 'one_time', { onlyIfCurrent: code });
      const breaker = policy.floodBreaker;
      if (!breaker) return;
      const joins = await countJoinsSince(this.deps.db, ref, code, Date.now() - breaker.windowSeconds * 1000);
      if (joins <= breaker.maxJoins) return;
      const details = { joins, maxJoins: breaker.maxJoins, windowSeconds: breaker.windowSeconds };
      return this.fire(policy, 'flood_breaker', { onlyIfCurrent: code, enableApproval: breaker.enableApproval, details });
    });
  }

  private async fire(policy: InvitePolicy, rule: PolicyRule, options: FireOptions): Promise<void> {
    const ref = { sessionId: policy.sessionId, groupId: policy.groupId };
    let ctx: GroupContext;
    let outcome: RevokeOutcome | undefined;
    try {
      ctx = await this.deps.context(ref);
      outcome = await this.deps.revoke({ ctx, revokedBy: { kind: 'policy', id: rule }, via: 'policy', bypassGuard: true, onlyIfCurrent: options.onlyIfCurrent });
    } catch (err) {
      if (err instanceof GatewayError && CANNOT_ACT.has(err.code)) return this.disable(policy, rule, err.message);
      throw err;
    }
    // The code that triggered this is already gone (another join's revoke, a human): nothing to do twice.
    if (!outcome) return;
    const approval = options.enableApproval ? await this.enableApproval(ctx) : {};
    const now = Date.now();
    await transaction(this.deps.db, async (trx) => {
      await updateInvitePolicy(trx, ref, { ...options.patch, lastFiredAt: now, lastFiredRule: rule }, now);
      await appendEvent(trx, {
        sessionId: ref.sessionId,
        event: 'group.invite_policy',
        payload: { id: ref.sessionId, groupId: ref.groupId, policy: rule, status: 'fired', ...outcome, ...options.details, ...approval },
      }, now);
    });
  }

  private async enableApproval(ctx: GroupContext): Promise<{ approvalEnabled: boolean; approvalError?: string }> {
    try {
      await ctx.engine.groups.joinApprovalMode(ctx.groupId, true);
      return { approvalEnabled: true };
    } catch (err) {
      this.deps.logger.warn({ err, sessionId: ctx.session.id, groupId: ctx.groupId }, 'flood breaker could not turn on join approval');
      return { approvalEnabled: false, approvalError: err instanceof Error ? err.message : String(err) };
    }
  }

  private async disable(policy: InvitePolicy, rule: PolicyRule, reason: string): Promise<void> {
    const ref = { sessionId: policy.sessionId, groupId: policy.groupId };
    const disabledReason = `${rule} could not act: ${reason}. Fix it, then POST the policy again to re-enable it`;
    await transaction(this.deps.db, async (trx) => {
      if (!(await updateInvitePolicy(trx, ref, { status: 'disabled', disabledReason }))) return;
      await appendEvent(trx, {
        sessionId: ref.sessionId,
        event: 'group.invite_policy',
        payload: { id: ref.sessionId, groupId: ref.groupId, policy: rule, status: 'disabled', reason: disabledReason },
      });
    });
  }
}
