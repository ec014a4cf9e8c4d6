// What every group action starts from: the connected session a command names (found, allowed), the group, and
// — for rules that depend on it — our membership and role in the group, read through the metadata cache.
import type { GroupMetadata, GroupParticipant, Me } from '../../engine/types.js';
import { GatewayError } from '../errors.js';
import { refusalFor } from '../whatsapp-refusals.js';
import type { SessionAccess, SessionCommand, WorkingSession } from '../sessions/session-access.js';
import type { GroupMetadataCache, GroupMetadataSource } from './metadata-cache.js';

export interface GroupCommand extends SessionCommand {
  /** normalised, `…@g.us` */
  groupId: string;
}

export interface GroupDeps {
  access: SessionAccess;
  metadataCache: GroupMetadataCache;
}

export interface SessionContext extends Omit<WorkingSession, 'runtime'> {
  /** where group metadata is read from (the session's cache) */
  metadata: GroupMetadataSource;
}

export interface GroupContext extends SessionContext {
  groupId: string;
}

/** Whom an action acted on, as every group result reports it. */
export interface ActedOn {
  sessionId: string;
  /** the session's own number, digits */
  phone: string | null;
  groupId?: string;
}

export interface Membership {
  metadata: GroupMetadata;
  me: GroupParticipant | undefined;
  isAdmin: boolean;
  isSuperAdmin: boolean;
}

export function withMetadata(deps: GroupDeps, working: WorkingSession): SessionContext {
  return { ...working, metadata: deps.metadataCache.for(working.engine) };
}

export async function sessionContext(deps: GroupDeps, command: SessionCommand): Promise<SessionContext> {
  return withMetadata(deps, await deps.access.working(command));
}

export async function groupContext(deps: GroupDeps, command: GroupCommand): Promise<GroupContext> {
  return { ...(await sessionContext(deps, command)), groupId: command.groupId };
}

export function actedOn(ctx: SessionContext & { groupId?: string }, groupId = ctx.groupId): ActedOn {
  return { sessionId: ctx.session.id, phone: ctx.phone, ...(groupId !== undefined ? { groupId } : {}) };
}

/** Our role in the group; 404 GROUP_NOT_FOUND / GROUP_NOT_MEMBER when WhatsApp says we cannot see it. */
export async function membership(ctx: GroupContext): Promise<Membership> {
  let metadata: GroupMetadata;
  try {
    metadata = await ctx.metadata.get(ctx.groupId);
  } catch (err) {
    throw refusalFor(err, { kind: 'group-read', groupId: ctx.groupId }) ?? err;
  }
  const me = ctx.engine.me;
  const mine = metadata.participants.find((p) => isSelf(p, me));
  return { metadata, me: mine, isAdmin: !!mine?.admin, isSuperAdmin: mine?.admin === 'superadmin' };
}

/** Whether a participant is the session's own account (matched by phone-number JID or LID). */
export function isSelf(participant: GroupParticipant, me: Me | null): boolean {
  return !!me && (participant.jid === me.id || (!!me.lid && participant.lid === me.lid));
}

export function notMember(groupId: string, action?: string): GatewayError {
  return new GatewayError('GROUP_NOT_MEMBER', `${action ? `Cannot ${action}: this` : 'This'} session's number is not a member of group ${groupId}`);
}

export function notAdmin(groupId: string, action: string): GatewayError {
  return new GatewayError('GROUP_NOT_ADMIN', `Cannot ${action}: this session's number is not an admin of group ${groupId}`);
}

/** 404 GROUP_NOT_MEMBER unless our number is in the group. */
export async function requireMember(ctx: GroupContext): Promise<Membership & { me: GroupParticipant }> {
  const found = await membership(ctx);
  if (!found.me) throw notMember(ctx.groupId);
  return { ...found, me: found.me };
}

/** 403 GROUP_NOT_ADMIN (nothing is attempted) unless our number is an admin of the group. */
export async function requireAdmin(ctx: GroupContext, action: string): Promise<Membership> {
  const found = await requireMember(ctx);
  if (!found.isAdmin) throw notAdmin(ctx.groupId, action);
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
