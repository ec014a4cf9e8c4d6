// Creating groups (the creator is superadmin; LID addressing unless asked otherwise), group metadata for
// members, and the list of groups an account participates in.
import type { StanzaRouter } from '../router.js';
import type { SandboxNetwork } from '../network.js';
import { child, node } from '../stanza.js';
import type { Account } from '../world/accounts.js';
import { acceptsDirectAdd, issueInvitation, nowSeconds, type AddressingMode, type Group } from '../world/groups.js';
import { groupNode, participantJids } from './groups-node.js';
import { notifyGroup } from './groups-notify.js';
import { authorize, iqOp, type GroupOp } from './groups-rules.js';
import { validSubject } from './groups-settings.js';

export interface CreateOptions {
  addressingMode?: AddressingMode;
  /** the client's create key, echoed in the `create` notification */
  key?: string;
}

/**
 * Creates the group with the resolvable participants; unknown JIDs are left out, and people whose group-add
 * privacy refuses strangers get a private invitation instead, as on WhatsApp. Every member's devices receive
 * the `create` notification (the creator's own included).
 */
export function createGroup(network: SandboxNetwork, creator: Account, subject: string, jids: string[], options: CreateOptions = {}): Group {
  const group = network.groups.create({
    subject: validSubject(subject),
    subjectOwner: creator,
    creator,
    announce: false,
    locked: false,
    joinApproval: false,
    memberAddMode: 'admin_add',
    ephemeral: 0,
    addressingMode: options.addressingMode ?? 'lid'
  });
  const joinedAt = nowSeconds();
  group.members.set(creator.phone, { account: creator, role: 'superadmin', joinedAt });
  for (const jid of jids) {
    const account = network.accounts.resolve(jid)?.account;
    if (!account || group.members.has(account.phone)) continue;
    if (acceptsDirectAdd(account)) group.members.set(account.phone, { account, role: 'member', joinedAt });
    else issueInvitation(group, account, creator);
  }
  notifyGroup(network, group, creator, node('create', { type: 'new', ...(options.key ? { key: options.key } : {}) }, [groupNode(group)]));
  return group;
}

export function metadata({ group, actor }: GroupOp): Group {
  authorize(group, actor, 'member', 'read group metadata');
  return group;
}

export function queryIqs(router: StanzaRouter): void {
  router
    .iq('w:g2:create', ({ network, account }, iq) => {
      const create = child(iq, 'create');
      const group = createGroup(network, account, create?.attrs.subject ?? '', participantJids(create), create?.attrs.key ? { key: create.attrs.key } : {});
      return [groupNode(group)];
    })
    .iq('w:g2:query', (ctx, iq) => [groupNode(metadata(iqOp(ctx, iq)))])
    .iq('w:g2:participating', ({ network, account }) => [node('groups', {}, network.groups.of(account).map(groupNode))]);
}
