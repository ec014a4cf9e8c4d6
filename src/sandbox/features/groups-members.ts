// Membership changes every path shares, each with its one notification: joining (direct add, invite link,
// approved request, private invite) and going (removal, leaving). Also keeps a group from being left
// without an admin, and deletes it when its last member goes.
import type { SandboxNetwork } from '../network.js';
import { node } from '../stanza.js';
import type { Account } from '../world/accounts.js';
import { isAdminRole, nowSeconds, type Group } from '../world/groups.js';
import { participantNode } from './groups-node.js';
import { notifyGroup } from './groups-notify.js';

/** Makes the accounts members; they receive the `add` notification too (Baileys emits their own join). */
export function addMembers(network: SandboxNetwork, group: Group, author: Account, accounts: Account[], reason?: string): void {
  if (!accounts.length) return;
  const joinedAt = nowSeconds();
  for (const account of accounts) {
    group.members.set(account.phone, { account, role: 'member', joinedAt });
    group.requests.delete(account.phone);
    group.addRequests.delete(account.phone);
  }
  notifyGroup(network, group, author, node('add', reason ? { reason } : {}, accounts.map((a) => participantNode(group, a))));
}

/**
 * Removes the accounts (an author removing only themselves is leaving: Baileys reads it as such). The removed
 * receive the notification as well, so their clients learn they are out.
 */
export function removeMembers(network: SandboxNetwork, group: Group, author: Account, accounts: Account[]): void {
  if (!accounts.length) return;
  for (const account of accounts) group.members.delete(account.phone);
  notifyGroup(network, group, author, node('remove', {}, accounts.map((a) => participantNode(group, a))), { also: accounts });
  const remaining = [...group.members.values()];
  if (!remaining.length) {
    network.groups.delete(group.id);
    return;
  }
  if (remaining.some((m) => isAdminRole(m.role))) return;
  // Like WhatsApp, a group never stays without an admin: the longest-standing member takes over.
  const heir = remaining.reduce((oldest, m) => (m.joinedAt < oldest.joinedAt ? m : oldest));
  heir.role = 'admin';
  notifyGroup(network, group, heir.account, node('promote', {}, [participantNode(group, heir.account)]));
}
