// Invite links seen from this session: previewing the group behind a link and joining through one. Reading a
// group's current link and revoking it belong to the invites capability (src/core/invites), which keeps the
// lineage.
import type { GroupMetadata } from '../../engine/types.js';
import { refusalFor, refusing } from '../whatsapp-refusals.js';
import { actedOn, type ActedOn, type SessionContext } from './group-context.js';

export interface InvitePreview {
  on: ActedOn;
  code: string;
  group: GroupMetadata;
  pictureUrl: string | null;
}

export async function previewInviteLink(ctx: SessionContext, code: string): Promise<InvitePreview> {
  const group = await refusing({ kind: 'invite-code', code }, () => ctx.engine.groups.inviteInfo(code));
  return { on: actedOn(ctx), code, group, pictureUrl: await visiblePicture(ctx, group.id) };
}

/** WhatsApp may not show a group's picture to a non-member: that is no picture, not a failed preview. */
async function visiblePicture(ctx: SessionContext, groupId: string): Promise<string | null> {
  try {
    return await ctx.engine.groups.picture(groupId);
  } catch (err) {
    if (refusalFor(err, { kind: 'group-read', groupId })?.code === 'GROUP_NOT_MEMBER') return null;
    throw err;
  }
}

export interface JoinOutcome {
  on: ActedOn;
  groupId: string;
  /** pending: the group asks admins to approve joins */
  status: 'joined' | 'pending';
}

export async function joinViaInviteLink(ctx: SessionContext, code: string): Promise<JoinOutcome> {
  const action = { kind: 'invite-code', code } as const;
  const info = await refusing(action, () => ctx.engine.groups.inviteInfo(code));
  const joined = await refusing(action, () => ctx.engine.groups.acceptInvite(code));
  if (joined.status === 'pending') return { on: actedOn(ctx), groupId: info.id, status: 'pending' };
  ctx.metadata.invalidate(joined.groupId);
  return { on: actedOn(ctx), groupId: joined.groupId, status: 'joined' };
}
