// How group results look to WARest clients (api-compat §4.1): the `{sessionId, phone, groupId}` base every
// result starts with, group metadata under WARest's (Baileys') field names, participants with their roles,
// and the outcome type a group action returns to its route (an app code, a message and the result).
import type { AppCodeName } from '../errors.js';
import type { GroupMetadata, GroupParticipant, Me } from '../../engine/types.js';
import { isSelf, type SessionContext } from './group-context.js';

export interface Outcome {
  code: Extract<AppCodeName, 'SUCCESS' | 'PARTIAL_SUCCESS'>;
  message: string;
  result: Record<string, unknown>;
}

export const succeeded = (message: string, result: Record<string, unknown>): Outcome => ({ code: 'SUCCESS', message, result });

/** `{sessionId, phone}`, plus `groupId` when the action names a group. */
export function resultBase(ctx: SessionContext & { groupId?: string }): Record<string, unknown> {
  return { sessionId: ctx.session.id, phone: ctx.phone, ...(ctx.groupId !== undefined ? { groupId: ctx.groupId } : {}) };
}

/** The user part of a JID: WARest reports people as digits. */
export function digitsOf(jid: string): string {
  return jid.split(/[:@]/)[0] ?? jid;
}

export const inviteLinkOf = (code: string) => `https://chat.whatsapp.com/${code}`;

/** Metadata without the participant list, in WARest's field names (it passes Baileys' metadata through). */
export function groupData(metadata: GroupMetadata): Record<string, unknown> {
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

export function participantView(participant: GroupParticipant, me: Me | null): Record<string, unknown> {
  return {
    id: participant.jid,
    jid: participant.jid,
    lid: participant.lid,
    phone: participant.pn ? digitsOf(participant.pn) : null,
    isMe: isSelf(participant, me),
    isAdmin: !!participant.admin,
    isSuperAdmin: participant.admin === 'superadmin'
  };
}
