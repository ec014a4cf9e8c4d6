// A group's life from this session's side: creating one, leaving one, and disbanding one as WARest does
// (remove every other member, revoke the invite link, leave).
import type { GroupMetadata } from '../../engine/types.js';
import { GatewayError } from '../errors.js';
import { actedOn, isSelf, requireMember, type ActedOn, type GroupContext, type SessionContext } from './group-context.js';
import { groupCall } from './group-call.js';
import { validSubject } from './group-settings.js';

/** `participants` are normalised user JIDs; people WhatsApp cannot add are simply not in the new group. */
export async function createGroup(ctx: SessionContext, subject: string, participants: string[]): Promise<{ on: ActedOn; group: GroupMetadata }> {
  const group = await ctx.engine.groups.create(validSubject(subject), participants);
  return { on: actedOn(ctx), group };
}

export async function leaveGroup(ctx: GroupContext): Promise<{ on: ActedOn }> {
  await requireMember(ctx);
  await groupCall(ctx, 'leave the group', () => ctx.engine.groups.leave(ctx.groupId));
  ctx.metadata.invalidate(ctx.groupId);
  return { on: actedOn(ctx) };
}

export interface Disbanded {
  on: ActedOn;
  /** JIDs removed, and JIDs WhatsApp would not remove */
  removed: string[];
  notRemoved: string[];
}

/**
 * Not an admin: 403 with WARest's FORBIDDEN code (2201) and message rather than GROUP_NOT_ADMIN, because this is
 * the one group route where WARest already answers 403 and clients may match on it; the details list the
 * members with their roles, as WARest's do. Removals that fail do not stop the rest (WARest order).
 */
export async function disbandGroup(ctx: GroupContext): Promise<Disbanded> {
  const { metadata, isAdmin } = await requireMember(ctx);
  const me = ctx.engine.me;
  if (!isAdmin) {
    const normMembers = metadata.participants.map((p) => ({
      jid: p.jid,
      isAdmin: !!p.admin,
      isSuperAdmin: p.admin === 'superadmin',
      meJid: me?.id ?? null,
      isSelf: isSelf(p, me)
    }));
    throw new GatewayError('FORBIDDEN', 'Bot is not an admin in this group', { details: { ...actedOn(ctx), status: 'not permitted', normMembers } });
  }
  const others = metadata.participants.filter((p) => !isSelf(p, me)).map((p) => p.jid);
  const results = others.length ? await groupCall(ctx, 'remove the members', () => ctx.engine.groups.participants(ctx.groupId, 'remove', others)) : [];
  await groupCall(ctx, 'revoke the invite link', () => ctx.engine.groups.revokeInvite(ctx.groupId));
  await groupCall(ctx, 'leave the group', () => ctx.engine.groups.leave(ctx.groupId));
  ctx.metadata.invalidate(ctx.groupId);
  return {
    on: actedOn(ctx),
    removed: results.filter((r) => r.status === 200).map((r) => r.jid),
    notRemoved: results.filter((r) => r.status !== 200).map((r) => r.jid)
  };
}
