// Invite governance for the whole gateway: the engine-event translator that keeps the lineage, the revoke the
// API calls, reading the current code, the history, and the policies with their scheduler. The composition root
// creates one, passes `translator` to the session manager, and starts/stops it with the gateway.
import type { Principal } from '../../http/types.js';
import { requireWorking } from '../../http/session-lookup.js';
import type { Db } from '../../store/database.js';
import { getApiKey } from '../../store/repos/api-keys.js';
import type { GroupRef, Revoker } from '../../store/repos/invite-codes.js';
import { deleteInvitePolicy, getInvitePolicy, saveInvitePolicy, type InvitePolicy } from '../../store/repos/invite-policies.js';
import { getSession } from '../../store/repos/sessions.js';
import { GatewayError } from '../errors.js';
import { requireAdmin, type GroupContext } from '../groups/group-context.js';
import { uncachedMetadata, type GroupMetadataCache } from '../groups/metadata-cache.js';
import type { EventTranslator, RuntimeLogger, SessionRuntime } from '../sessions/session-runtime.js';
import { mayForce } from './chatter-guard.js';
import { fetchCurrentCode, knownOrFetchedCode } from './current-code.js';
import { inviteEventTranslator } from './invite-events.js';
import { inviteHistory } from './history.js';
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
  /** the live runtime of a session (from the session manager) */
  runtime(sessionId: string): SessionRuntime | undefined;
  /** the group routes' metadata cache, so policies' admin checks share it */
  metadataCache?: GroupMetadataCache;
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
    this.runner = new PolicyRunner({ db, logger, revoke: (request) => revokeInvite(this.revokeDeps, request), context: (ref) => this.context(ref) });
    this.scheduler = new PolicyScheduler({ db, logger, runDue: (ref) => this.runner.runDue(ref) });
    this.translator = inviteEventTranslator({
      db,
      lock: this.lock,
      logger,
      // Safe to retry: a policy revokes only the code the join came through, and only while it is current.
      onJoin: (ref, code) => this.scheduler.react(ref, () => this.runner.afterJoin(ref, code)),
    });
  }

  start(): Promise<void> {
    return this.scheduler.start();
  }

  stop(): Promise<void> {
    return this.scheduler.stop();
  }

  /** A revoke asked for through the API; `force` (admin key only) skips the chatter guard. */
  async revoke(ctx: GroupContext, principal: Principal | null, force?: boolean): Promise<RevokeOutcome> {
    const bypassGuard = mayForce(principal, force);
    const revokedBy = await this.revoker(principal);
    return (await revokeInvite(this.revokeDeps, { ctx, revokedBy, via: 'api', bypassGuard }))!;
  }

  /** The code WhatsApp reports now (admins only), recorded in the lineage. */
  async currentCode(ctx: GroupContext): Promise<string> {
    await requireAdmin(ctx, 'read the invite link');
    return this.lock.run(groupKey(ctx.session.id, ctx.groupId), () => fetchCurrentCode(this.options.db, refOf(ctx), ctx.engine));
  }

  history(ref: GroupRef) {
    return inviteHistory(this.options.db, ref);
  }

  policy(ref: GroupRef): Promise<InvitePolicy | undefined> {
    return getInvitePolicy(this.options.db, ref);
  }

  /** Creates or updates the group's policy (merged field by field) and (re)activates it; admins only. */
  async savePolicy(ctx: GroupContext, input: PolicyInput): Promise<InvitePolicy> {
    const ref = refOf(ctx);
    const rules = mergeRules(await getInvitePolicy(this.options.db, ref), input);
    await requireAdmin(ctx, 'set an invite policy');
    // Joins can only be attributed (one-time link, flood breaker) once the current code is known.
    await this.lock.run(groupKey(ref.sessionId, ref.groupId), () => knownOrFetchedCode(this.options.db, ref, ctx.engine));
    const policy = await saveInvitePolicy(this.options.db, ref, rules);
    this.scheduler.arm(ref, nextDueAt(policy));
    return policy;
  }

  async deletePolicy(ref: GroupRef): Promise<boolean> {
    this.scheduler.arm(ref, null);
    return deleteInvitePolicy(this.options.db, ref);
  }

  private async revoker(principal: Principal | null): Promise<Revoker> {
    if (principal?.kind === 'session') return { kind: 'session_token', id: principal.sessionId };
    const key = principal?.keyId ? await getApiKey(this.options.db, principal.keyId) : undefined;
    return { kind: 'api_key', id: principal?.keyId, name: key?.name };
  }

  /** A policy's group context: the session must exist and be connected. */
  private async context(ref: GroupRef): Promise<GroupContext> {
    const session = await getSession(this.options.db, ref.sessionId);
    if (!session) throw new GatewayError('SESSION_NOT_FOUND', `Session "${ref.sessionId}" not found`);
    const runtime = this.options.runtime(ref.sessionId);
    requireWorking(session, runtime?.lastChange.status);
    const engine = runtime!.engine;
    const metadata = this.options.metadataCache?.for(engine) ?? uncachedMetadata(engine);
    return { session, engine, phone: engine.me?.id.split(/[:@]/)[0] ?? null, metadata, groupId: ref.groupId };
  }
}
