// Group change notifications: one `<notification from=G type="w:gp2" participant=author …><CHILD/></notification>`
// per change, delivered to every linked companion of every recipient account (phones need nothing); devices
// that are offline get it on their next login.
import type { BinaryNode } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import { node, stanzaId, unixNow } from '../stanza.js';
import type { Account } from '../world/accounts.js';
import { groupJid, isAdminRole, type Group } from '../world/groups.js';
import { authorAttrs } from './groups-node.js';

export interface NotifyOptions {
  /** who gets it: every member (default) or the admins only (join requests) */
  audience?: 'members' | 'admins';
  /** accounts that are no longer (or not yet) members but must learn about the change, e.g. the removed */
  also?: Account[];
  /** `w:gp2` (default) or `picture` for icon changes */
  type?: string;
}

export function notifyGroup(network: SandboxNetwork, group: Group, author: Account, change: BinaryNode, options: NotifyOptions = {}): void {
  const stanza = node(
    'notification',
    { from: groupJid(group), type: options.type ?? 'w:gp2', id: stanzaId(), t: unixNow(), notify: author.name, ...authorAttrs(group, author) },
    [change]
  );
  const recipients = new Map<string, Account>();
  for (const member of group.members.values()) {
    if (options.audience !== 'admins' || isAdminRole(member.role)) recipients.set(member.account.phone, member.account);
  }
  for (const account of options.also ?? []) recipients.set(account.phone, account);
  for (const account of recipients.values()) network.deliverToCompanions(account, () => stanza);
}
