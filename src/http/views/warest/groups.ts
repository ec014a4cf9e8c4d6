// How group results look to WARest clients (api-compat §4.1): the `{sessionId, phone, groupId}` every result
// starts with, group metadata under WARest's (Baileys') field names, participants with their roles, WARest's
// messages and status words, and its digit lists of participants.
import { GatewayError } from '../../../core/errors.js';
import type { ActedOn } from '../../../core/groups/group-context.js';
import type { InvitePreview, JoinOutcome } from '../../../core/groups/group-invite-links.js';
import type { Disbanded } from '../../../core/groups/group-lifecycle.js';
import { digitsOf, doneStatus, type ParticipantAction, type ParticipantsChanged } from '../../../core/groups/group-participants.js';
import type { GroupPicture } from '../../../core/groups/group-picture.js';
import type { Participant } from '../../../core/groups/group-reads.js';
import type { GroupSwitch } from '../../../core/groups/group-settings.js';
import { inviteLink } from '../../../core/invites/ledger.js';
import type { GroupMetadata, JoinRequest } from '../../../engine/types.js';
import { succeeded, type Outcome } from './outcome.js';

/** Metadata without the participant list, in WARest's field names (it passes Baileys' metadata through). */
function groupData(metadata: GroupMetadata): Record<string, unknown> {
  return {
    id: metadata.id,
    subject: metadata.subject,
    owner: metadata.owner,
    creation: metadata.creation,
    desc: metadata.description,
    restrict: metadata.restrict,
    announce: metadata.announce,
    joinApprovalMode: metadata.joinApprovalMode,
    memberAddMode: metadata.memberAddMode === 'all_member_add',
    ephemeralDuration: metadata.ephemeral,
    addressingMode: metadata.addressingMode,
    participantsCount: metadata.size
  };
}

export const groupsView = ({ on, groups }: { on: ActedOn; groups: GroupMetadata[] }) => succeeded('Groups list fetched', { ...on, data: groups.map(groupData) });

export const groupInfoView = ({ on, metadata }: { on: ActedOn; metadata: GroupMetadata }) => succeeded('Group info', { ...on, data: groupData(metadata) });

export const participantsView = ({ on, participants }: { on: ActedOn; participants: Participant[] }) =>
  succeeded('Participants fetched', {
    ...on,
    participants: participants.map((p) => ({
      id: p.jid,
      jid: p.jid,
      lid: p.lid,
      phone: p.pn ? digitsOf(p.pn) : null,
      isMe: p.isMe,
      isAdmin: !!p.admin,
      isSuperAdmin: p.admin === 'superadmin'
    }))
  });

export const joinRequestsView = ({ on, requests }: { on: ActedOn; requests: JoinRequest[] }) =>
  succeeded('Join requests fetched', {
    ...on,
    joinRequests: requests.map((r) => ({ jid: r.pn ?? r.jid, lid: r.lid, phone: r.pn ? digitsOf(r.pn) : null, requestMethod: r.method, requestTime: r.requestedAt }))
  });

export const inviteLinkView = ({ on, code }: { on: ActedOn; code: string }) => succeeded('Invite link fetched', { ...on, inviteLink: inviteLink(code), code });

export const previewView = ({ on, code, group, pictureUrl }: InvitePreview) =>
  succeeded('Invite info fetched', {
    ...on,
    groupId: group.id,
    groupName: group.subject,
    groupDescription: group.description,
    participantsCount: group.size,
    isGroupLocked: group.restrict,
    isAnnouncement: group.announce,
    isEphemeral: group.ephemeral > 0,
    joinApprovalMode: group.joinApprovalMode,
    inviteLink: inviteLink(code),
    groupPicture: pictureUrl
  });

export const joinView = ({ on, groupId, status }: JoinOutcome) =>
  succeeded('Joined group via link', { ...on, groupId, status: status === 'pending' ? 'pending approval to join' : 'success joined group' });

export const createdView = ({ on, group }: { on: ActedOn; group: GroupMetadata }) =>
  succeeded('Group created', { ...on, groupId: group.id, groupName: group.subject, participantsCount: group.size });

export const leftView = ({ on }: { on: ActedOn }) => succeeded('Left group', { ...on, status: 'success leave' });

export function disbandedView({ on, removed, notRemoved }: Disbanded): Outcome {
  const removedParticipants = removed.map(digitsOf);
  const failedToRemove = notRemoved.map(digitsOf);
  const status = failedToRemove.length === 0 ? 'success delete group' : removedParticipants.length ? 'partial' : 'failed';
  const result = { ...on, removedParticipants, failedToRemove, status };
  if (failedToRemove.length) return { code: 'PARTIAL_SUCCESS', message: 'Some members failed to remove', result };
  return succeeded('Group disbanded', result);
}

export const nameView = ({ on, name }: { on: ActedOn; name: string }) => succeeded('Group name updated', { ...on, groupName: name, status: 'success update group name' });

export const descriptionView = ({ on, description }: { on: ActedOn; description: string }) =>
  succeeded('Group description updated', { ...on, groupDescription: description, status: 'success update group description' });

const SWITCH_WORDS: Record<GroupSwitch, { message: [on: string, off: string]; status: [on: string, off: string] }> = {
  announcement: { message: ['Announcement mode enabled', 'Announcement mode disabled'], status: ['success set announcement mode', 'success set announcement mode'] },
  locked: { message: ['Group locked', 'Group unlocked'], status: ['success locked group', 'success unlocked group'] }
};

export function switchView({ on, which, enabled }: { on: ActedOn; which: GroupSwitch; enabled: boolean }): Outcome {
  const words = SWITCH_WORDS[which];
  const pick = ([whenOn, whenOff]: [string, string]) => (enabled ? whenOn : whenOff);
  return succeeded(pick(words.message), { ...on, [which]: enabled, status: pick(words.status) });
}

const PARTICIPANT_WORDS: Record<ParticipantAction, { message: string; lists?: [done: string, failed: string] }> = {
  add: { message: 'Participants added', lists: ['addedParticipants', 'failedToAdd'] },
  remove: { message: 'Participants removed', lists: ['removedParticipants', 'failedToRemove'] },
  promote: { message: 'Participants promoted' },
  demote: { message: 'Participants demoted' },
  approve: { message: 'Participants approved', lists: ['approvedParticipants', 'failedToApprove'] },
  reject: { message: 'Participants rejected' }
};

/** Some failed → 207 PARTIAL_SUCCESS; all failed → 422 with the same result, since nothing asked for happened. */
export function participantsChangedView({ on, action, participants, done, failed }: ParticipantsChanged): Outcome {
  const words = PARTICIPANT_WORDS[action];
  const status = failed.length === 0 ? 'success' : done.length ? 'partial' : 'failed';
  const lists = words.lists ? { [words.lists[0]]: done.map((p) => p.phone), [words.lists[1]]: failed.map((p) => p.phone) } : {};
  const result = { ...on, ...lists, participants, status };
  if (failed.length === 0) return succeeded(words.message, result);
  if (done.length) return { code: 'PARTIAL_SUCCESS', message: `Some participants failed to ${action}`, result };
  const reasons = failed.map((p) => `${p.phone} ${p.reason ?? 'failed'}`).join('; ');
  throw new GatewayError('UNPROCESSABLE_ENTITY', `No participant was ${doneStatus(action)}: ${reasons}`, { details: result });
}

export const pictureView = ({ on, pictureUrl }: GroupPicture) => succeeded('Group picture', { ...on, pictureUrl });

export const pictureSetView = ({ on, pictureUrl }: GroupPicture) => succeeded('Group picture updated', { ...on, pictureUrl, status: 'success update group picture' });

export const pictureRemovedView = ({ on }: { on: ActedOn }) => succeeded('Group picture removed', { ...on, status: 'success remove group picture' });

export const revokedView = ({ on, code, previousCode }: { on: ActedOn; code: string; previousCode: string }) =>
  succeeded('Invite link revoked', { ...on, inviteLink: inviteLink(code), status: 'success revoke invite link', code, previousCode });
