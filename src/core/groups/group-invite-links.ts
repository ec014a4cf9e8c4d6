// Invite links seen from this session: reading a group's current link (admins only; an error, never a silent
// null as in WARest), previewing the group behind a link, and joining through one. Revoking belongs to the
// invites capability (src/core/invites).
import { EngineRemoteError } from '../../engine/errors.js';
import type { GroupMetadata } from '../../engine/types.js';
import { GatewayError } from '../errors.js';
import { metadataSource, type GroupContext, type SessionContext } from './group-context.js';
import { inviteLinkOf, resultBase, succeeded, type Outcome } from './group-view.js';

/** Reads a group's current code: through the invites capability, which checks admin rights and keeps the lineage. */
export interface InviteCodeReader {
  currentCode(ctx: GroupContext): Promise<string>;
}

export async function getInviteLink(ctx: GroupContext, codes: InviteCodeReader): Promise<Outcome> {
  const code = await codes.currentCode(ctx);
  return succeeded('Invite link fetched', { ...resultBase(ctx), inviteLink: inviteLinkOf(code), code });
}

/** Runs an invite-code command, turning WhatsApp's answers about the code into what the caller should do. */
async function byCode<T>(code: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof EngineRemoteError)) throw err;
    const link = inviteLinkOf(code);
    if (err.code === 410) throw new GatewayError('NOT_FOUND', `The invite link ${link} was revoked or has expired; ask a group admin for the current link`, { cause: err });
    if (err.code === 406 || err.code === 404) throw new GatewayError('NOT_FOUND', `The invite link ${link} does not lead to any group; check the code`, { cause: err });
    if (err.code === 409) throw new GatewayError('CONFLICT', "This session's number is already a member of that group", { cause: err });
    throw err;
  }
}

export async function previewInviteLink(ctx: SessionContext, code: string): Promise<Outcome> {
  const info = await byCode(code, () => ctx.engine.groups.inviteInfo(code));
  return succeeded('Invite info fetched', {
    ...resultBase(ctx),
    groupId: info.id,
    groupName: info.subject,
    groupDescription: info.description,
    participantsCount: info.size,
    isGroupLocked: info.restrict,
    isAnnouncement: info.announce,
    isEphemeral: info.ephemeral > 0,
    joinApprovalMode: info.joinApprovalMode,
    inviteLink: inviteLinkOf(code),
    groupPicture: await visiblePicture(ctx, info.id)
  });
}

/** WhatsApp may not show a group's picture to a non-member: that is no picture, not a failed preview. */
async function visiblePicture(ctx: SessionContext, groupId: string): Promise<string | null> {
  try {
    return await ctx.engine.groups.picture(groupId);
  } catch (err) {
    if (err instanceof EngineRemoteError && (err.code === 401 || err.code === 403)) return null;
    throw err;
  }
}

export async function joinViaInviteLink(ctx: SessionContext, code: string): Promise<Outcome> {
  const info = await byCode(code, () => ctx.engine.groups.inviteInfo(code));
  const joined = await byCode(code, () => ctx.engine.groups.acceptInvite(code));
  if (joined.status === 'pending') return succeeded('Joined group via link', { ...resultBase(ctx), groupId: info.id, status: 'pending approval to join' });
  metadataSource(ctx).invalidate(joined.groupId);
  return succeeded('Joined group via link', { ...resultBase(ctx), groupId: joined.groupId, status: 'success joined group' });
}
