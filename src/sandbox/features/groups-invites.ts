// Invite links and private invitations: reading and revoking a group's code (admins; a revoked code stops
// working at once), group info for a code, joining by code (straight in, or a join request when approval is
// on), and accepting/revoking the private (v4) invitations handed out when privacy refused an add.
import type { StanzaRouter } from '../router.js';
import type { SandboxNetwork } from '../network.js';
import { child, node } from '../stanza.js';
import type { Account } from '../world/accounts.js';
import { groupJid, nowSeconds, rotateInviteCode, type Group } from '../world/groups.js';
import { addMembers } from './groups-members.js';
import { groupNode, participantJids } from './groups-node.js';
import { notifyGroup } from './groups-notify.js';
import { requestToJoin } from './groups-requests.js';
import { authorize, iqOp, refuse, type GroupOp } from './groups-rules.js';

export type JoinStatus = 'joined' | 'pending';

export function inviteCode({ group, actor }: GroupOp): string {
  authorize(group, actor, 'admin', 'read the invite link');
  return group.inviteCode;
}

export function revokeInvite({ network, group, actor }: GroupOp): string {
  authorize(group, actor, 'admin', 'revoke the invite link');
  const code = rotateInviteCode(group);
  notifyGroup(network, group, actor, node('invite', { code }));
  return code;
}

/** The group an invite code opens: 410 for a revoked code, 406 for one no group ever had. */
export function groupForCode(network: SandboxNetwork, code: string): Group {
  const group = network.groups.byInviteCode(code);
  if (group) return group;
  if (network.groups.wasRevoked(code)) throw refuse.revokedCode(code);
  throw refuse.unknownCode(code);
}

export function joinByInvite(network: SandboxNetwork, account: Account, code: string): { group: Group; status: JoinStatus } {
  const group = groupForCode(network, code);
  if (group.members.has(account.phone)) throw refuse.conflict(`${account.phone} is already a member of ${groupJid(group)}`);
  if (group.joinApproval) {
    requestToJoin(network, group, account, 'invite_link');
    return { group, status: 'pending' };
  }
  addMembers(network, group, account, [account], 'invite');
  return { group, status: 'joined' };
}

/** The invitee (the op's actor) accepts the private invitation issued to them; approval mode does not apply. */
export function acceptAddRequest({ network, group, actor }: GroupOp, code: string): void {
  if (group.members.has(actor.phone)) throw refuse.conflict(`${actor.phone} is already a member of ${groupJid(group)}`);
  const invitation = group.addRequests.get(actor.phone);
  if (!invitation || invitation.code !== code) throw refuse.unknownCode(code);
  if (invitation.expiration < nowSeconds()) throw refuse.expiredCode(code);
  addMembers(network, group, actor, [actor], 'invite');
}

export function revokeAddRequests({ network, group, actor }: GroupOp, jids: string[]): void {
  authorize(group, actor, 'admin', 'revoke private invitations');
  for (const jid of jids) {
    const account = network.accounts.resolve(jid)?.account;
    if (account) group.addRequests.delete(account.phone);
  }
}

export function inviteIqs(router: StanzaRouter): void {
  router
    .iq('w:g2:invite', (ctx, iq) => {
      const code = child(iq, 'invite')?.attrs.code;
      if (code) {
        // Sent to `@g.us`: what a code opens (get) or joining with it (set).
        if (iq.attrs.type === 'get') return [groupNode(groupForCode(ctx.network, code))];
        const { group, status } = joinByInvite(ctx.network, ctx.account, code);
        return [node(status === 'joined' ? 'group' : 'membership_approval_request', { jid: groupJid(group) })];
      }
      const op = iqOp(ctx, iq);
      return [node('invite', { code: iq.attrs.type === 'set' ? revokeInvite(op) : inviteCode(op) })];
    })
    .iq('w:g2:accept', (ctx, iq) => acceptAddRequest(iqOp(ctx, iq), child(iq, 'accept')?.attrs.code ?? ''))
    .iq('w:g2:revoke', (ctx, iq) => revokeAddRequests(iqOp(ctx, iq), participantJids(child(iq, 'revoke'))));
}
