// Who may do what in a group, and the errors WhatsApp answers when they may not. Every group operation, from an
// IQ or from a simulated phone, goes through `authorize` and throws one of the `refuse` errors.
//
// Codes (`<error code text/>`, Boom `data` in Baileys), as real WhatsApp answers them (whatsmeow maps the same):
//   404 item-not-found   the group does not exist
//   403 forbidden        the account is not a member of the group (metadata and every action)
//   401 not-authorized   a member tries an admin-only operation
//   400 bad-request      malformed request (missing subject, unknown setting value…)
//   406 not-acceptable   subject > 100 or description > 2048 characters; an invite code no group ever had
//   409 conflict         description `prev` is not the current description id; joining a group one is in
//   410 gone             an invite code that was revoked, a private invitation that expired
// The control API answers the same refusals with HTTP statuses: 401/403 → 403, an unknown invite code → 404,
// 406 for a too-long text → 400; the others unchanged.
import type { BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { IqFailure, type StanzaContext } from '../router.js';
import type { Account } from '../world/accounts.js';
import { groupJid, isAdminRole, type Group, type GroupMember } from '../world/groups.js';

export class GroupRuleError extends IqFailure {
  constructor(
    code: number,
    text: string,
    /** the status the control API answers with */
    readonly httpStatus: number,
    /** a sentence for humans (control API), the IQ only carries code and text */
    readonly reason: string
  ) {
    super(code, text);
  }
}

export const refuse = {
  noGroup: (id: string) => new GroupRuleError(404, 'item-not-found', 404, `no group ${id}`),
  noAccount: (who: string) => new GroupRuleError(404, 'item-not-found', 404, `no account ${who}`),
  notMember: (group: Group, account: Account) =>
    new GroupRuleError(403, 'forbidden', 403, `${account.phone} is not a member of ${groupJid(group)}`),
  notAdmin: (group: Group, account: Account, what: string) =>
    new GroupRuleError(401, 'not-authorized', 403, `${account.phone} is not an admin of ${groupJid(group)}; only admins may ${what}`),
  badRequest: (reason: string) => new GroupRuleError(400, 'bad-request', 400, reason),
  tooLong: (reason: string) => new GroupRuleError(406, 'not-acceptable', 400, reason),
  conflict: (reason: string) => new GroupRuleError(409, 'conflict', 409, reason),
  revokedCode: (code: string) => new GroupRuleError(410, 'gone', 410, `invite code ${code} was revoked`),
  expiredCode: (code: string) => new GroupRuleError(410, 'gone', 410, `invitation ${code} has expired`),
  unknownCode: (code: string) => new GroupRuleError(406, 'not-acceptable', 404, `no group has invite code ${code}`)
};

/**
 * member: any member. admin: admins only. info: group info (subject, description, picture, disappearing
 * timer), open to every member unless the group is locked.
 */
export type Permission = 'member' | 'admin' | 'info';

export function authorize(group: Group, account: Account, need: Permission, what: string): GroupMember {
  const member = group.members.get(account.phone);
  if (!member) throw refuse.notMember(group, account);
  const adminOnly = need === 'admin' || (need === 'info' && group.locked);
  if (adminOnly && !isAdminRole(member.role)) throw refuse.notAdmin(group, account, what);
  return member;
}

/** One operation on one group by one account, whether a client's IQ or a simulated phone asked for it. */
export interface GroupOp {
  network: SandboxNetwork;
  group: Group;
  actor: Account;
}

export function groupOp(network: SandboxNetwork, groupIdOrJid: string, actor: Account): GroupOp {
  const group = network.groups.get(groupIdOrJid);
  if (!group) throw refuse.noGroup(groupIdOrJid);
  return { network, group, actor };
}

/** The operation an IQ addressed to a group (`to="G@g.us"`) asks for, by the sending account. */
export const iqOp = (ctx: StanzaContext, iq: BinaryNode): GroupOp => groupOp(ctx.network, iq.attrs.to ?? '', ctx.account);
