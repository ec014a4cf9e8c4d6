// What every group action starts from: the session the request names (found, allowed, connected), the
// normalised group id, and — for rules that depend on it — our membership and role in the group.
import type { FastifyRequest } from 'fastify';
import { EngineRemoteError } from '../../engine/errors.js';
import type { EngineSession } from '../../engine/port.js';
import type { GroupMetadata, GroupParticipant } from '../../engine/types.js';
import { readGroupId } from '../../http/params.js';
import { findRequestSession, requireWorking } from '../../http/session-lookup.js';
import type { Db } from '../../store/database.js';
import type { Session } from '../../store/repos/sessions.js';
import { GatewayError } from '../errors.js';
import type { SessionManager } from '../sessions/session-manager.js';

export interface GroupDeps {
  db: Db;
  sessions: SessionManager;
}

export interface SessionContext {
  session: Session;
  engine: EngineSession;
  /** the session's own phone number (digits), as WARest results report it */
  phone: string | null;
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
  return { session, engine, phone: engine.me?.id.split(/[:@]/)[0] ?? null };
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
    metadata = await ctx.engine.groups.metadata(ctx.groupId);
  } catch (err) {
    if (err instanceof EngineRemoteError && err.code === 404) throw new GatewayError('GROUP_NOT_FOUND', `Group ${ctx.groupId} does not exist`);
    if (err instanceof EngineRemoteError && (err.code === 403 || err.code === 401)) {
      throw new GatewayError('GROUP_NOT_MEMBER', `This session's number is not a member of group ${ctx.groupId}`);
    }
    throw err;
  }
  const me = ctx.engine.me;
  const mine = metadata.participants.find((p) => (me && (p.jid === me.id || (me.lid && p.lid === me.lid))) ?? false);
  return { metadata, me: mine, isAdmin: !!mine?.admin, isSuperAdmin: mine?.admin === 'superadmin' };
}

/** 403 GROUP_NOT_ADMIN (nothing is attempted) unless our number is an admin of the group. */
export async function requireAdmin(ctx: GroupContext, action: string): Promise<Membership> {
  const found = await membership(ctx);
  if (!found.me) throw new GatewayError('GROUP_NOT_MEMBER', `This session's number is not a member of group ${ctx.groupId}`);
  if (!found.isAdmin) throw new GatewayError('GROUP_NOT_ADMIN', `Cannot ${action}: this session's number is not an admin of group ${ctx.groupId}`);
  return found;
}
