// Join requests of groups with membership approval on: asking (from an invite link), the admins' list, and
// approving or rejecting them (per-participant 404 when there is no such request). Admins are notified of new
// and rejected requests; approved requesters join like any added member.
import type { StanzaRouter } from '../router.js';
import type { SandboxNetwork } from '../network.js';
import { child, node } from '../stanza.js';
import type { Account } from '../world/accounts.js';
import { nowSeconds, type Group, type JoinRequest } from '../world/groups.js';
import { addMembers } from './groups-members.js';
import { addressed, outcomeNode, participantJids, participantNode } from './groups-node.js';
import { notifyGroup } from './groups-notify.js';
import { authorize, iqOp, refuse, type GroupOp } from './groups-rules.js';

const REQUEST_ACTIONS = ['approve', 'reject'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** Files a request (asking again changes nothing) and tells the admins. */
export function requestToJoin(network: SandboxNetwork, group: Group, account: Account, method: JoinRequest['method']): void {
  if (group.requests.has(account.phone)) return;
  group.requests.set(account.phone, { account, requestedAt: nowSeconds(), method });
  const change = node('created_membership_requests', { request_method: method }, [participantNode(group, account)]);
  notifyGroup(network, group, account, change, { audience: 'admins' });
}

export function listRequests({ group, actor }: GroupOp): JoinRequest[] {
  authorize(group, actor, 'admin', 'see join requests');
  return [...group.requests.values()];
}

export function answerRequests(op: GroupOp, action: RequestAction, jids: string[]): { jid: string; status: number }[] {
  const { network, group, actor } = op;
  authorize(group, actor, 'admin', `${action} join requests`);
  if (!jids.length) throw refuse.badRequest(`${action} needs at least one participant`);
  const answered: Account[] = [];
  const outcomes = jids.map((jid) => {
    const account = network.accounts.resolve(jid)?.account;
    if (!account || !group.requests.has(account.phone) || answered.includes(account)) return { jid, status: 404 };
    answered.push(account);
    return { jid, status: 200 };
  });
  if (action === 'approve') addMembers(network, group, actor, answered);
  else if (answered.length) {
    for (const account of answered) group.requests.delete(account.phone);
    const change = node('revoked_membership_requests', {}, answered.map((a) => participantNode(group, a)));
    notifyGroup(network, group, actor, change, { audience: 'admins', also: answered });
  }
  return outcomes;
}

export function requestIqs(router: StanzaRouter): void {
  router
    .iq('w:g2:membership_approval_requests', (ctx, iq) => {
      const op = iqOp(ctx, iq);
      const requests = listRequests(op).map((r) =>
        node('membership_approval_request', {
          ...addressed(op.group, r.account, 'jid', 'phone_number', 'lid'),
          request_method: r.method,
          request_time: String(r.requestedAt)
        })
      );
      return [node('membership_approval_requests', {}, requests)];
    })
    .iq('w:g2:membership_requests_action', (ctx, iq) => {
      const wrapper = child(iq, 'membership_requests_action');
      const action = REQUEST_ACTIONS.find((a) => child(wrapper, a));
      if (!action) throw refuse.badRequest('membership_requests_action needs an approve or reject child');
      const outcomes = answerRequests(iqOp(ctx, iq), action, participantJids(child(wrapper, action)));
      return [node('membership_requests_action', {}, [node(action, {}, outcomes.map((o) => outcomeNode(o)))])];
    });
}
