// Group changes made by simulated humans on their phones (the control API): the same rule functions and
// notifications as the clients' IQs, addressed by phone numbers or JIDs instead of stanzas.
import type { SandboxNetwork } from '../network.js';
import { PN_SERVER, type Account } from '../world/accounts.js';
import type { Group } from '../world/groups.js';
import { groupForCode, inviteCode, joinByInvite, revokeInvite, type JoinStatus } from './groups-invites.js';
import { changeParticipants, leaveGroup } from './groups-participants.js';
import { answerRequests } from './groups-requests.js';
import { groupOp, refuse } from './groups-rules.js';
import { changePicture, setDescription, setEphemeral, setFlag, setMemberAddMode, setSubject } from './groups-settings.js';

export const GROUP_ACTIONS = [
  'revoke_invite',
  'invite_code',
  'add',
  'remove',
  'promote',
  'demote',
  'approve',
  'reject',
  'leave',
  'subject',
  'description',
  'announcement',
  'locked',
  'approval_mode',
  'member_add_mode',
  'ephemeral',
  'picture'
] as const;
export type GroupAction = (typeof GROUP_ACTIONS)[number];

export interface ActInput {
  /** phone numbers or JIDs (PN or LID) */
  participants?: string[];
  /** subject/description text, true/false (or "on"/"off") for switches, a mode, seconds, or base64 JPEG (null removes) */
  value?: unknown;
}

/** A phone number (any punctuation) or a JID, as a JID. */
export const toJid = (who: string) => (who.includes('@') ? who : `${who.replace(/\D/g, '')}@${PN_SERVER}`);

function accountFor(network: SandboxNetwork, who: string): Account {
  const account = network.accounts.resolve(toJid(who))?.account;
  if (!account) throw refuse.noAccount(who);
  return account;
}

function participantsOf(input: ActInput): string[] {
  if (!input.participants?.length) throw refuse.badRequest('this action needs participants: phone numbers or JIDs');
  return input.participants.map(toJid);
}

function switchValue(value: unknown): boolean {
  if (value === true || value === 'on') return true;
  if (value === false || value === 'off') return false;
  throw refuse.badRequest('value must be true or false ("on"/"off")');
}

function secondsValue(value: unknown): number {
  if (value === false || value === null || value === undefined) return 0;
  if (typeof value !== 'number') throw refuse.badRequest('value must be the timer in seconds (0 or false = off)');
  return value;
}

function textValue(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw refuse.badRequest('value must be a string');
  return value;
}

export function act(network: SandboxNetwork, groupId: string, as: string, action: GroupAction, input: ActInput = {}): Record<string, unknown> {
  const op = groupOp(network, groupId, accountFor(network, as));
  const { group, actor } = op;
  switch (action) {
    case 'revoke_invite':
      return { code: revokeInvite(op) };
    case 'invite_code':
      return { code: inviteCode(op) };
    case 'add':
    case 'remove':
    case 'promote':
    case 'demote':
      return {
        participants: changeParticipants(op, action, participantsOf(input)).map(({ jid, status, addRequest }) => ({
          jid,
          status,
          ...(addRequest ? { invitation: { code: addRequest.code, expiration: addRequest.expiration } } : {})
        }))
      };
    case 'approve':
    case 'reject':
      return { participants: answerRequests(op, action, participantsOf(input)) };
    case 'leave':
      leaveGroup(network, actor, group.id);
      break;
    case 'subject':
      setSubject(op, textValue(input.value) ?? '');
      break;
    case 'description':
      setDescription(op, textValue(input.value), group.description ? { prev: group.description.id } : {});
      break;
    case 'announcement':
      setFlag(op, 'announce', switchValue(input.value));
      break;
    case 'locked':
      setFlag(op, 'locked', switchValue(input.value));
      break;
    case 'approval_mode':
      setFlag(op, 'joinApproval', switchValue(input.value));
      break;
    case 'member_add_mode':
      setMemberAddMode(op, textValue(input.value));
      break;
    case 'ephemeral':
      setEphemeral(op, secondsValue(input.value));
      break;
    case 'picture': {
      const jpeg = textValue(input.value);
      return { pictureId: changePicture(op, jpeg ? Buffer.from(jpeg, 'base64') : undefined) ?? null };
    }
  }
  return { ok: true };
}

/** A phone joins `groupId` with an invite code (which must be that group's); approval mode makes it pending. */
export function joinAs(network: SandboxNetwork, groupId: string, who: string, code: string): { group: Group; status: JoinStatus } {
  const account = accountFor(network, who);
  const { group } = groupOp(network, groupId, account);
  if (groupForCode(network, code) !== group) throw refuse.unknownCode(code);
  return joinByInvite(network, account, code);
}
