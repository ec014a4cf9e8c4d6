// Group info and settings: subject, description (with WhatsApp's `prev` check), picture and disappearing timer
// (any member unless the group is locked), and the admin-only switches: announcement, locked, join approval,
// member add mode. Each change notifies every member.
import type { BinaryNode } from 'baileys';
import type { StanzaRouter } from '../router.js';
import { child, contentText, node, stanzaId } from '../stanza.js';
import { addressOf, groupJid, nowSeconds } from '../world/groups.js';
import { addressed } from './groups-node.js';
import { notifyGroup } from './groups-notify.js';
import { authorize, iqOp, refuse, type GroupOp } from './groups-rules.js';

const SUBJECT_MAX = 100;
const DESCRIPTION_MAX = 2048;

export function validSubject(subject: string | undefined): string {
  const trimmed = subject?.trim();
  if (!trimmed) throw refuse.badRequest('a group subject must not be empty');
  if ([...trimmed].length > SUBJECT_MAX) throw refuse.tooLong(`a group subject has at most ${SUBJECT_MAX} characters`);
  return trimmed;
}

export function setSubject({ network, group, actor }: GroupOp, subject: string): void {
  authorize(group, actor, 'info', 'change the subject of a locked group');
  group.subject = validSubject(subject);
  group.subjectOwner = actor;
  group.subjectTime = nowSeconds();
  const attrs = { subject: group.subject, s_t: String(group.subjectTime), ...addressed(group, actor, 's_o', 's_o_pn') };
  notifyGroup(network, group, actor, node('subject', attrs));
}

/**
 * Sets (text) or deletes (no text) the description. `prev` is the description id the client last saw (none
 * for no description); WhatsApp refuses the change with 409 when someone changed it in between.
 */
export function setDescription({ network, group, actor }: GroupOp, text: string | undefined, ids: { id?: string; prev?: string }): void {
  authorize(group, actor, 'info', 'change the description of a locked group');
  if ((ids.prev || undefined) !== group.description?.id) throw refuse.conflict(`description changed meanwhile; the current id is ${group.description?.id ?? 'none'}`);
  if (text && [...text].length > DESCRIPTION_MAX) throw refuse.tooLong(`a group description has at most ${DESCRIPTION_MAX} characters`);
  const id = ids.id ?? stanzaId();
  const attrs = { id, ...(ids.prev ? { prev: ids.prev } : {}) };
  if (text) group.description = { id, text, author: actor, time: nowSeconds() };
  else delete group.description;
  notifyGroup(network, group, actor, node('description', attrs, [text ? node('body', {}, text) : node('delete', {})]));
}

const FLAG_CHANGES = {
  announce: (on: boolean) => node(on ? 'announcement' : 'not_announcement', {}),
  locked: (on: boolean) => node(on ? 'locked' : 'unlocked', {}),
  joinApproval: (on: boolean) => node('membership_approval_mode', {}, [node('group_join', { state: on ? 'on' : 'off' })])
};
export type GroupFlag = keyof typeof FLAG_CHANGES;

export function setFlag({ network, group, actor }: GroupOp, flag: GroupFlag, on: boolean): void {
  authorize(group, actor, 'admin', 'change group settings');
  if (group[flag] === on) return;
  group[flag] = on;
  notifyGroup(network, group, actor, FLAG_CHANGES[flag](on));
}

export function setMemberAddMode({ network, group, actor }: GroupOp, mode: string | undefined): void {
  authorize(group, actor, 'admin', 'change who can add members');
  if (mode !== 'admin_add' && mode !== 'all_member_add') throw refuse.badRequest('member add mode is admin_add or all_member_add');
  if (group.memberAddMode === mode) return;
  group.memberAddMode = mode;
  notifyGroup(network, group, actor, node('member_add_mode', {}, mode));
}

/** Disappearing-messages timer in seconds; 0 turns it off. */
export function setEphemeral({ network, group, actor }: GroupOp, seconds: number): void {
  authorize(group, actor, 'info', 'change disappearing messages of a locked group');
  if (!Number.isInteger(seconds) || seconds < 0) throw refuse.badRequest('the disappearing-messages timer is a whole number of seconds (0 = off)');
  if (group.ephemeral === seconds) return;
  group.ephemeral = seconds;
  notifyGroup(network, group, actor, seconds ? node('ephemeral', { expiration: String(seconds) }) : node('not_ephemeral', {}));
}

/** Sets (jpeg) or removes the group icon; for the profile-picture IQ and simulated phones. Returns the picture id. */
export function changePicture({ network, group, actor }: GroupOp, jpeg: Buffer | undefined): string | undefined {
  authorize(group, actor, 'info', 'change the icon of a locked group');
  const author = addressOf(group, actor).jid;
  let change: BinaryNode;
  if (jpeg) {
    group.picture = { id: String(Date.now()), jpeg };
    change = node('set', { jid: groupJid(group), id: group.picture.id, author });
  } else {
    delete group.picture;
    change = node('delete', { jid: groupJid(group), author });
  }
  notifyGroup(network, group, actor, change, { type: 'picture' });
  return group.picture?.id;
}

export function settingsIqs(router: StanzaRouter): void {
  router
    .iq('w:g2:subject', (ctx, iq) => setSubject(iqOp(ctx, iq), contentText(child(iq, 'subject')) ?? ''))
    .iq('w:g2:description', (ctx, iq) => {
      const description = child(iq, 'description');
      const { id, prev } = description?.attrs ?? {};
      const text = description?.attrs.delete === 'true' ? undefined : contentText(child(description, 'body'));
      setDescription(iqOp(ctx, iq), text, { ...(id ? { id } : {}), ...(prev ? { prev } : {}) });
    })
    .iq('w:g2:announcement', (ctx, iq) => setFlag(iqOp(ctx, iq), 'announce', true))
    .iq('w:g2:not_announcement', (ctx, iq) => setFlag(iqOp(ctx, iq), 'announce', false))
    .iq('w:g2:locked', (ctx, iq) => setFlag(iqOp(ctx, iq), 'locked', true))
    .iq('w:g2:unlocked', (ctx, iq) => setFlag(iqOp(ctx, iq), 'locked', false))
    .iq('w:g2:membership_approval_mode', (ctx, iq) => {
      const state = child(child(iq, 'membership_approval_mode'), 'group_join')?.attrs.state;
      if (state !== 'on' && state !== 'off') throw refuse.badRequest('group_join state is on or off');
      setFlag(iqOp(ctx, iq), 'joinApproval', state === 'on');
    })
    .iq('w:g2:member_add_mode', (ctx, iq) => setMemberAddMode(iqOp(ctx, iq), contentText(child(iq, 'member_add_mode'))))
    .iq('w:g2:ephemeral', (ctx, iq) => setEphemeral(iqOp(ctx, iq), Number(child(iq, 'ephemeral')?.attrs.expiration)))
    .iq('w:g2:not_ephemeral', (ctx, iq) => setEphemeral(iqOp(ctx, iq), 0));
}
