// A group's life from this session's side: creating one, leaving one, and disbanding one as WARest does
// (remove every other member, revoke the invite link, leave).
import { GatewayError } from '../errors.js';
import { isSelf, metadataSource, requireMember, type GroupContext, type SessionContext } from './group-context.js';
import { groupCall } from './group-call.js';
import { validSubject } from './group-settings.js';
import { digitsOf, resultBase, succeeded, type Outcome } from './group-view.js';

/** `participants` are normalised user JIDs; people WhatsApp cannot add are simply not in the new group. */
export async function createGroup(ctx: SessionContext, subject: string, participants: string[]): Promise<Outcome> {
  const metadata = await ctx.engine.groups.create(validSubject(subject), participants);
  return succeeded('Group created', { ...resultBase(ctx), groupId: metadata.id, groupName: metadata.subject, participantsCount: metadata.size });
}

export async function leaveGroup(ctx: GroupContext): Promise<Outcome> {
  await requireMember(ctx);
  await groupCall(ctx, 'leave the group', () => ctx.engine.groups.leave(ctx.groupId));
  metadataSource(ctx).invalidate(ctx.groupId);
  return succeeded('Left group', { ...resultBase(ctx), status: 'success leave' });
}

/**
 * Not an admin: 403 with WARest's FORBIDDEN code (2201) and message rather than GROUP_NOT_ADMIN, because this is
 * the one group route where WARest already answers 403 and clients may match on it. Removals that fail do not
 * stop the rest (WARest order): the result lists them and the answer is 207.
 */
export async function disbandGroup(ctx: GroupContext): Promise<Outcome> {
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
    throw new GatewayError('FORBIDDEN', 'Bot is not an admin in this group', { details: { ...resultBase(ctx), status: 'not permitted', normMembers } });
  }
  const others = metadata.participants.filter((p) => !isSelf(p, me)).map((p) => p.jid);
  const results = others.length ? await groupCall(ctx, 'remove the members', () => ctx.engine.groups.participants(ctx.groupId, 'remove', others)) : [];
  const removedParticipants = results.filter((r) => r.status === 200).map((r) => digitsOf(r.jid));
  const failedToRemove = results.filter((r) => r.status !== 200).map((r) => digitsOf(r.jid));
  await groupCall(ctx, 'revoke the invite link', () => ctx.engine.groups.revokeInvite(ctx.groupId));
  await groupCall(ctx, 'leave the group', () => ctx.engine.groups.leave(ctx.groupId));
  metadataSource(ctx).invalidate(ctx.groupId);

  const status = failedToRemove.length === 0 ? 'success delete group' : removedParticipants.length ? 'partial' : 'failed';
  const result = { ...resultBase(ctx), removedParticipants, failedToRemove, status };
  if (failedToRemove.length) return { code: 'PARTIAL_SUCCESS', message: 'Some members failed to remove', result };
  return succeeded('Group disbanded', result);
}
