// Invite governance for the whole gateway: the engine-event translator that keeps the lineage (and arms the
// policies of each session this node runs), the revoke, reading the current code, the history, and the
// policies with their scheduler. The composition root creates one and passes `translator` to the session
// manager.
import type { Db } from '../../store/database.js';
import { getApiKey } from '../../store/repos/api-keys.js';
import type { GroupRef, Revoker } from '../../store/repos/invite-codes.js';
import { deleteInvitePolicy, getInvitePolicy, saveInvitePolicy, type InvitePolicy } from '../../store/repos/invite-policies.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError } from '../errors.js';
import { actedOn, groupContext, requireAdmin, withMetadata, type ActedOn, type GroupCommand, type GroupContext, type GroupDeps } from '../groups/group-context.js';
import { refusingInGroup } from '../groups/group-call.js';
import type { EventTranslator, RuntimeLogger } from '../sessions/session-runtime.js';
import { mayForce } from './chatter-guard.js';
import { fetchCurrentCode, knownOrFetchedCode } from './ledger.js';
import { inviteEventTranslator } from './invite-events.js';
import { inviteHistory, type InviteHistory } from './history.js';
import { groupKey, KeyedLock } from './keyed-lock.js';
import { mergeRules, type PolicyInput } from './policy-input.js';
import { nextDueAt, PolicyRunner } from './policy-runner.js';
import { PolicyScheduler } from './policy-scheduler.js';
import { revokeInvite, type RevokeDeps, type RevokeOutcome } from './revoke.js';

export interface InviteGovernanceOptions {
  db: Db;
  logger: RuntimeLogger;
  /** seconds between two revokes of one group (0: no guard) */
  minIntervalSeconds: number;
  /** session access and the metadata cache the group actions use, so admin checks share it */
  groups: GroupDeps;
}

export interface RevokeCommand extends GroupCommand {
  /** skip the chatter guard (admin key only) */
  force?: boolean;
}

const refOf = (ctx: GroupContext): GroupRef => ({ sessionId: ctx.session.id, groupId: ctx.groupId });

export class InviteGovernance {
  readonly translator: EventTranslator;
  private readonly lock = new KeyedLock();
  private readonly revokeDeps: RevokeDeps;
  private readonly runner: PolicyRunner;
  private readonly scheduler: PolicyScheduler;

  constructor(private readonly options: InviteGovernanceOptions) {
    const { db, logger } = options;
    this.revokeDeps = { db, lock: this.lock, minIntervalSeconds: options.minIntervalSeconds };
    this.runner = new PolicyRunner({ db, logger, revoke: (request) => revokeInvite(this.revokeDeps, request), context: (ref) => this.policyContext(ref) });
    this.scheduler = new PolicyScheduler({ db, logger, runDue: (ref) => this.runner.runDue(ref) });
    const events = inviteEventTranslator({
      db,
      lock: this.lock,
      logger,
      // Safe to retry: a policy revokes only the code the join came through, and only while it is current.
      onJoin: (ref, code) => this.scheduler.react(ref, () => this.runner.afterJoin(ref, code)),
    });
    // Policies run where their session runs: armed while this node runs it, disarmed when it stops.
    this.translator = (runtime, emit) => {
      const off = events(runtime, emit);
      this.scheduler.armSession(runtime.id);
      return () => {
        off();
        this.scheduler.disarmSession(runtime.id);
      };
    };
  }

  stop(): Promise<void> {
    return this.scheduler.stop();
  }

  /** A revoke asked for by a caller: admin check first, then the chatter guard (unless forced by the admin key). */
  async revoke(command: RevokeCommand): Promise<RevokeOutcome & { on: ActedOn }> {
    const bypassGuard = mayForce(command.principal, command.force);
    const ctx = await groupContext(this.options.groups, command);
    const revokedBy = await this.revoker(command.principal);
    const outcome = (await revokeInvite(this.revokeDeps, { ctx, revokedBy, via: 'api', bypassGuard }))!;
    return { ...outcome, on: actedOn(ctx) };
  }

  /** The code WhatsApp reports now (admins only), recorded in the lineage. */
  async currentCode(command: GroupCommand): Promise<{ code: string; on: ActedOn }> {
    const ctx = await groupContext(this.options.groups, command);
    await requireAdmin(ctx, 'read the invite link');
    const read = () => fetchCurrentCode(this.options.db, refOf(ctx), ctx.engine);
    // A refusal here (demoted a moment ago) also means the cached membership is stale.
    const code = await this.lock.run(groupKey(ctx.session.id, ctx.groupId), () => refusingInGroup(ctx, { kind: 'invite-admin', groupId: ctx.groupId }, read));
    return { code, on: actedOn(ctx) };
  }

  async history(command: GroupCommand): Promise<InviteHistory> {
    return inviteHistory(this.options.db, await this.storedGroup(command));
  }

  /** The group's policy; 404 when it has none. */
  async policy(command: GroupCommand): Promise<InvitePolicy> {
    const ref = await this.storedGroup(command);
    const policy = await getInvitePolicy(this.options.db, ref);
    if (!policy) throw noPolicy(ref);
    return policy;
  }

  /** Creates or updates the group's policy (merged field by field) and (re)activates it; admins only. */
  async savePolicy(command: GroupCommand, input: PolicyInput): Promise<InvitePolicy> {
    const ctx = await groupContext(this.options.groups, command);
    const ref = refOf(ctx);
    const rules = mergeRules(await getInvitePolicy(this.options.db, ref), input);
    await requireAdmin(ctx, 'set an invite policy');
    // Joins can only be attributed (one-time link, flood breaker) once the current code is known.
    await this.lock.run(groupKey(ref.sessionId, ref.groupId), () => knownOrFetchedCode(this.options.db, ref, ctx.engine));
    const policy = await saveInvitePolicy(this.options.db, ref, rules);
    this.scheduler.arm(ref, nextDueAt(policy));
    return policy;
  }

  async deletePolicy(command: GroupCommand): Promise<GroupRef> {
    const ref = await this.storedGroup(command);
    this.scheduler.arm(ref, null);
    if (!(await deleteInvitePolicy(this.options.db, ref))) throw noPolicy(ref);
    return ref;
  }

  /** The session (found and allowed; not necessarily connected) and group a stored-data command names. */
  private async storedGroup(command: GroupCommand): Promise<GroupRef> {
    const session = await this.options.groups.access.find(command);
    return { sessionId: session.id, groupId: command.groupId };
  }

  private async revoker(principal: Principal | null): Promise<Revoker> {
    if (principal?.kind === 'session') return { kind: 'session_token', id: principal.sessionId };
    const key = principal?.keyId ? await getApiKey(this.options.db, principal.keyId) : undefined;
    return { kind: 'api_key', id: principal?.keyId, name: key?.name };
  }

  /** A policy acts in its session's context: the session must be connected. */
  private async policyContext(ref: GroupRef): Promise<GroupContext> {
    const working = await this.options.groups.access.workingById(ref.sessionId);
    return { ...withMetadata(this.options.groups, working), groupId: ref.groupId };
  }
}

function noPolicy(ref: GroupRef): GatewayError {
  return new GatewayError('NOT_FOUND', `Group ${ref.groupId} has no invite policy in session "${ref.sessionId}"; create one with POST /api/v1/group/invite/policy`);
}
