// Adding, removing, promoting and demoting participants (one result per participant, as WhatsApp answers),
// and leaving groups.
//
// Per-participant codes: 409 already a member (add) · 403 the target's group-add privacy refuses strangers
// (add; answered with an `<add_request code expiration/>` private invitation) or the target is the superadmin
// (remove/demote by someone else) · 404 not a member (remove/promote/demote) or no such WhatsApp account.
import { child, childrenNamed, node } from '../stanza.js';
import type { StanzaRouter } from '../router.js';
import type { SandboxNetwork } from '../network.js';
import type { Account } from '../world/accounts.js';
import { acceptsDirectAdd, issueInvitation, type AddRequest, type Group } from '../world/groups.js';
import { addMembers, removeMembers } from './groups-members.js';
import { outcomeNode, participantJids, participantNode } from './groups-node.js';
import { notifyGroup } from './groups-notify.js';
import { authorize, groupOp, iqOp, refuse, type GroupOp } from './groups-rules.js';

const PARTICIPANT_ACTIONS = ['add', 'remove', 'promote', 'demote'] as const;
export type ParticipantAction = (typeof PARTICIPANT_ACTIONS)[number];

export interface ParticipantOutcome {
  /** the JID as it was asked for */
  jid: string;
  status: number;
  addRequest?: AddRequest;
}

function verdict(group: Group, actor: Account, action: ParticipantAction, target: Account): number {
  const member = group.members.get(target.phone);
  switch (action) {
    case 'add':
      if (member) return 409;
      return acceptsDirectAdd(target) ? 200 : 403;
    case 'remove':
    case 'demote':
      if (!member) return 404;
      return member.role === 'superadmin' && target !== actor ? 403 : 200;
    case 'promote':
      return member ? 200 : 404;
  }
}

export function changeParticipants(op: GroupOp, action: ParticipantAction, jids: string[]): ParticipantOutcome[] {
  const { network, group, actor } = op;
  const membersMayAdd = action === 'add' && group.memberAddMode === 'all_member_add';
  authorize(group, actor, membersMayAdd ? 'member' : 'admin', `${action} participants`);
  if (!jids.length) throw refuse.badRequest(`${action} needs at least one participant`);
  const changed: Account[] = [];
  const outcomes = jids.map((jid): ParticipantOutcome => {
    const target = network.accounts.resolve(jid)?.account;
    if (!target) return { jid, status: 404 };
    const status = changed.includes(target) ? 409 : verdict(group, actor, action, target);
    if (status === 403 && action === 'add') return { jid, status, addRequest: issueInvitation(group, target, actor) };
    const role = group.members.get(target.phone)?.role;
    const isChange = action === 'promote' ? role === 'member' : action === 'demote' ? role !== 'member' : true;
    if (status === 200 && isChange) changed.push(target);
    return { jid, status };
  });
  if (action === 'add') addMembers(network, group, actor, changed);
  else if (action === 'remove') removeMembers(network, group, actor, changed);
  else if (changed.length) {
    for (const account of changed) group.members.get(account.phone)!.role = action === 'promote' ? 'admin' : 'member';
    notifyGroup(network, group, actor, node(action, {}, changed.map((a) => participantNode(group, a))));
  }
  return outcomes;
}

export function leaveGroup(network: SandboxNetwork, account: Account, groupIdOrJid: string): void {
  const { group } = groupOp(network, groupIdOrJid, account);
  authorize(group, account, 'member', 'leave');
  removeMembers(network, group, account, [account]);
}

export function participantIqs(router: StanzaRouter): void {
  for (const action of PARTICIPANT_ACTIONS) {
    router.iq(`w:g2:${action}`, (ctx, iq) => {
      const outcomes = changeParticipants(iqOp(ctx, iq), action, participantJids(child(iq, action)));
      return [
        node(
          action,
          {},
          outcomes.map((o) => outcomeNode(o, o.addRequest && [node('add_request', { code: o.addRequest.code, expiration: String(o.addRequest.expiration) })]))
        )
      ];
    });
  }
  router.iq('w:g2:leave', (ctx, iq) => {
    for (const group of childrenNamed(child(iq, 'leave'), 'group')) leaveGroup(ctx.network, ctx.account, group.attrs.id ?? '');
  });
}
