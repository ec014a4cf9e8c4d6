// What every group action starts from: the session the request names (found, allowed, connected), the
// normalised group id, and — for rules that depend on it — our membership and role in the group.
// Metadata comes from the deps' cache when they have one, else straight from the engine.
import type { FastifyRequest } from 'fastify';
import { EngineRemoteError } from '../../engine/errors.js';
import type { EngineSession } from '../../engine/port.js';
import type { GroupMetadata, GroupParticipant, Me } from '../../engine/types.js';
import { readGroupId } from '../../http/params.js';
import { findRequestSession, requireWorking } from '../../http/session-lookup.js';
import type { Db } from '../../store/database.js';
import type { Session } from '../../store/repos/sessions.js';
import { GatewayError } from '../errors.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { uncachedMetadata, type GroupMetadataCache, type GroupMetadataSource } from './metadata-cache.js';

export interface GroupDeps {
  db: Db;
  sessions: SessionManager;
  metadataCache?: GroupMetadataCache;
}

export interface SessionContext {
  session: Session;
  engine: EngineSession;
  /** the session's own phone number (digits), as WARest results report it */
  phone: string | null;
  /** where group metadata is read from; absent: straight from the engine (see metadataSource) */
  metadata?: GroupMetadataSource;
}

export interface GroupContext extends SessionContext {
  groupId: string;
}

export interface Membership {
  metadata: GroupMetadata;
  me: GroupParticipant | undefined;
  isAdmin: boolean;
  isSuperAdmin: boolean;
}

export async function sessionContext(deps: GroupDeps, request: FastifyRequest): Promise<SessionContext> {
  const session = await findRequestSession(deps.db, request, 'groups');
  const runtime = deps.sessions.runtime(session.id);
  requireWorking(session, runtime?.lastChange.status);
  const engine = runtime!.engine;
  return { session, engine, phone: engine.me?.id.split(/[:@]/)[0] ?? null, metadata: deps.metadataCache?.for(engine) };
}

export function metadataSource(ctx: SessionContext): GroupMetadataSource {
  return ctx.metadata ?? uncachedMetadata(ctx.engine);
}

/** The group id is checked before the session is looked up (WARest order), so a bad id is always a 400. */
export async function groupContext(deps: GroupDeps, request: FastifyRequest): Promise<GroupContext> {
  const groupId = readGroupId(request);
  return { ...(await sessionContext(deps, request)), groupId };
}

/** Our role in the group; 404 GROUP_NOT_FOUND / GROUP_NOT_MEMBER when WhatsApp says we cannot see it. */
export async function membership(ctx: GroupContext): Promise<Membership> {
  let metadata: GroupMetadata;
  try {
    metadata = await metadataSource(ctx).get(ctx.groupId);
  } catch (err) {
    if (err instanceof EngineRemoteError && err.code === 404) throw groupNotFound(ctx);
    if (err instanceof EngineRemoteError && (err.code === 403 || err.code === 401)) throw notMember(ctx);
    throw err;
  }
  const me = ctx.engine.me;
  const mine = metadata.participants.find((p) => isSelf(p, me));
  return { metadata, me: mine, isAdmin: !!mine?.admin, isSuperAdmin: mine?.admin === 'superadmin' };
}

/** Whether a participant is the session's own account (matched by phone-number JID or LID). */
export function isSelf(participant: GroupParticipant, me: Me | null): boolean {
  return !!me && (participant.jid === me.id || (!!me.lid && participant.lid === me.lid));
}

/** 404 GROUP_NOT_MEMBER unless our number is in the group. */
export async function requireMember(ctx: GroupContext): Promise<Membership & { me: GroupParticipant }> {
  const found = await membership(ctx);
  if (!found.me) throw notMember(ctx);
  return { ...found, me: found.me };
}

export function groupNotFound(ctx: GroupContext): GatewayError {
  return new GatewayError('GROUP_NOT_FOUND', `Group ${ctx.groupId} does not exist`);
}

export function notMember(ctx: GroupContext, action?: string): GatewayError {
  return new GatewayError('GROUP_NOT_MEMBER', `${action ? `Cannot ${action}: this` : 'This'} session's number is not a member of group ${ctx.groupId}`);
}

export function notAdmin(ctx: GroupContext, action: string): GatewayError {
  return new GatewayError('GROUP_NOT_ADMIN', `Cannot ${action}: this session's number is not an admin of group ${ctx.groupId}`);
}

/** 403 GROUP_NOT_ADMIN (nothing is attempted) unless our number is an admin of the group. */
export async function requireAdmin(ctx: GroupContext, action: string): Promise<Membership> {
  const found = await requireMember(ctx);
  if (!found.isAdmin) throw notAdmin(ctx, action);
  return found;
}

/** Subject, description and picture: any member may edit them unless the group is locked to admins. */
export async function requireEditor(ctx: GroupContext, action: string): Promise<Membership> {
  const found = await requireMember(ctx);
  if (found.metadata.restrict && !found.isAdmin) {
    throw new GatewayError('GROUP_NOT_ADMIN', `Cannot ${action}: group ${ctx.groupId} is locked, so only admins may edit its info`);
  }
  return found;
}
