// Read-only group actions: the groups of a session, one group's info and participants (from the metadata
// cache), and the pending join requests (admins only; always asked of WhatsApp).
import type { GroupMetadata, GroupParticipant, JoinRequest } from '../../engine/types.js';
import { actedOn, isSelf, requireAdmin, requireMember, type ActedOn, type GroupContext, type SessionContext } from './group-context.js';
import { groupCall } from './group-call.js';

export async function listGroups(ctx: SessionContext): Promise<{ on: ActedOn; groups: GroupMetadata[] }> {
  return { on: actedOn(ctx), groups: await ctx.metadata.list() };
}

export async function groupInfo(ctx: GroupContext): Promise<{ on: ActedOn; metadata: GroupMetadata }> {
  const { metadata } = await requireMember(ctx);
  return { on: actedOn(ctx), metadata };
}

export interface Participant extends GroupParticipant {
  isMe: boolean;
}

export async function listParticipants(ctx: GroupContext): Promise<{ on: ActedOn; participants: Participant[] }> {
  const { metadata } = await requireMember(ctx);
  return { on: actedOn(ctx), participants: metadata.participants.map((p) => ({ ...p, isMe: isSelf(p, ctx.engine.me) })) };
}

export async function listJoinRequests(ctx: GroupContext): Promise<{ on: ActedOn; requests: JoinRequest[] }> {
  await requireAdmin(ctx, 'list join requests');
  const requests = await groupCall(ctx, 'list join requests', () => ctx.engine.groups.joinRequests(ctx.groupId));
  return { on: actedOn(ctx), requests };
}
