// Read-only group actions: the groups of a session, one group's info and participants (from the metadata
// cache), and the pending join requests (admins only; always asked of WhatsApp).
import { metadataSource, requireAdmin, requireMember, type GroupContext, type SessionContext } from './group-context.js';
import { groupCall } from './group-call.js';
import { digitsOf, groupData, participantView, resultBase, succeeded, type Outcome } from './group-view.js';

export async function listGroups(ctx: SessionContext): Promise<Outcome> {
  const groups = await metadataSource(ctx).list();
  return succeeded('Groups list fetched', { ...resultBase(ctx), data: groups.map(groupData) });
}

export async function groupInfo(ctx: GroupContext): Promise<Outcome> {
  const { metadata } = await requireMember(ctx);
  return succeeded('Group info', { ...resultBase(ctx), data: groupData(metadata) });
}

export async function listParticipants(ctx: GroupContext): Promise<Outcome> {
  const { metadata } = await requireMember(ctx);
  const participants = metadata.participants.map((p) => participantView(p, ctx.engine.me));
  return succeeded('Participants fetched', { ...resultBase(ctx), participants });
}

export async function listJoinRequests(ctx: GroupContext): Promise<Outcome> {
  await requireAdmin(ctx, 'list join requests');
  const requests = await groupCall(ctx, 'list join requests', () => ctx.engine.groups.joinRequests(ctx.groupId));
  const joinRequests = requests.map((r) => ({
    jid: r.pn ?? r.jid,
    lid: r.lid,
    phone: r.pn ? digitsOf(r.pn) : null,
    requestMethod: r.method,
    requestTime: r.requestedAt
  }));
  return succeeded('Join requests fetched', { ...resultBase(ctx), joinRequests });
}
