// Wire shapes of groups as Baileys' `extractGroupMetadata` and `handleGroupNotification` read them: the group
// node, participant nodes, and account attributes in the group's addressing mode (LID with PN alternate, or
// PN with LID alternate).
import type { BinaryNode } from 'baileys';
import { childrenNamed, node, type Attrs } from '../stanza.js';
import type { Account } from '../world/accounts.js';
import { addressOf, type Group, type GroupMember } from '../world/groups.js';

/**
 * `{[key]: LID, [pnKey]: PN}` in LID groups, `{[key]: PN, [lidKey]: LID}` in PN groups (no alternate where
 * WhatsApp sends none, e.g. `s_o`/`creator` in PN groups).
 */
export function addressed(group: Group, account: Account, key: string, pnKey: string, lidKey?: string): Attrs {
  const { jid, alt } = addressOf(group, account);
  const altKey = group.addressingMode === 'lid' ? pnKey : lidKey;
  return altKey ? { [key]: jid, [altKey]: alt } : { [key]: jid };
}

/** Notification and stanza author: `participant` plus `participant_pn` / `participant_lid`. */
export const authorAttrs = (group: Group, author: Account): Attrs => addressed(group, author, 'participant', 'participant_pn', 'participant_lid');

export function participantNode(group: Group, account: Account, attrs: Attrs = {}): BinaryNode {
  return node('participant', { ...addressed(group, account, 'jid', 'phone_number', 'lid'), ...attrs });
}

const roleAttrs = (member: GroupMember): Attrs => (member.role === 'member' ? {} : { type: member.role });

export function groupNode(group: Group): BinaryNode {
  const { description } = group;
  const content: BinaryNode[] = [...group.members.values()].map((m) => participantNode(group, m.account, roleAttrs(m)));
  if (description) {
    const attrs = { id: description.id, ...addressed(group, description.author, 'participant', 'participant_pn'), t: String(description.time) };
    content.push(node('description', attrs, [node('body', {}, description.text)]));
  }
  if (group.announce) content.push(node('announcement', {}));
  if (group.locked) content.push(node('locked', {}));
  if (group.joinApproval) content.push(node('membership_approval_mode', {}, [node('group_join', { state: 'on' })]));
  if (group.ephemeral) content.push(node('ephemeral', { expiration: String(group.ephemeral) }));
  content.push(node('member_add_mode', {}, group.memberAddMode));
  return node(
    'group',
    {
      id: group.id,
      subject: group.subject,
      ...addressed(group, group.subjectOwner, 's_o', 's_o_pn'),
      s_t: String(group.subjectTime),
      creation: String(group.createdAt),
      ...addressed(group, group.creator, 'creator', 'creator_pn'),
      size: String(group.members.size),
      addressing_mode: group.addressingMode
    },
    content
  );
}

/** One `<participant>` of a participants/requests answer: the JID as asked, `error` unless it succeeded. */
export function outcomeNode(outcome: { jid: string; status: number }, content?: BinaryNode[]): BinaryNode {
  return node('participant', outcome.status === 200 ? { jid: outcome.jid } : { jid: outcome.jid, error: String(outcome.status) }, content);
}

/** The `jid`s of a request's `<participant>` children. */
export function participantJids(parent: BinaryNode | undefined): string[] {
  return childrenNamed(parent, 'participant').flatMap((p) => (p.attrs.jid ? [p.attrs.jid] : []));
}
