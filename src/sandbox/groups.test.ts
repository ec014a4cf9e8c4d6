// Raw Baileys against the sandbox's `w:g2` groups: creation and metadata, settings, permission errors and
// participant changes, asserted through Baileys' return values and events on every member device.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupMetadata } from 'baileys';
import type { RunningSandbox } from './index.js';
import { control, groupUpdate, pn, rejectsWithCode, sock, useSandbox } from '../../test/support/sandbox-fixture.js';
import type { RawClient } from '../../test/support/raw-client.js';

const ALICE = '15550001111';
const BOB = '15550002222';
const CAROL = '15550003333';
const DAVE = '15550004444';
const EVE = '15550005555';

const fixture = useSandbox({
  accounts: { [CAROL]: 'Carol', [DAVE]: 'Dave' },
  linked: [[ALICE, 'Alice'], [ALICE, 'Alice'], [BOB, 'Bob'], [EVE, 'Eve']]
});
let sb: RunningSandbox;
let alice1: RawClient;
let alice2: RawClient;
let bob: RawClient;
let eve: RawClient;
before(async () => ({ sb, clients: [alice1, alice2, bob, eve] } = await fixture.ready));
const { lid } = fixture;
const participantsUpdate = (client: RawClient, id: string, action: string) =>
  client.waitFor('group-participants.update', (u) => u.id === id && u.action === action);

async function groupOf(...members: string[]): Promise<GroupMetadata> {
  return sock(alice1).groupCreate(`Group ${Math.random().toString(36).slice(2, 8)}`, members.map(pn));
}

test('groupCreate answers LID metadata (creator superadmin) and every member device gets groups.upsert', async () => {
  const meta = await sock(alice1).groupCreate('Team', [pn(BOB), pn(CAROL), '15559999999@s.whatsapp.net']);
  assert.match(meta.id, /^120363\d+@g\.us$/);
  assert.equal(meta.subject, 'Team');
  assert.equal(meta.addressingMode, 'lid');
  assert.equal(meta.owner, lid(ALICE));
  assert.equal(meta.ownerPn, pn(ALICE));
  assert.equal(meta.subjectOwner, lid(ALICE));
  const byId = new Map(meta.participants.map((p) => [p.id, p]));
  assert.equal(byId.size, 3, 'the unknown number is left out');
  assert.deepEqual(byId.get(lid(ALICE)), { id: lid(ALICE), phoneNumber: pn(ALICE), lid: undefined, username: undefined, admin: 'superadmin' });
  assert.equal(byId.get(lid(BOB))?.phoneNumber, pn(BOB));
  assert.equal(byId.get(lid(BOB))?.admin, null);
  for (const client of [alice1, alice2, bob]) {
    const [upserted] = await client.waitFor('groups.upsert', (gs) => gs.some((g) => g.id === meta.id));
    assert.equal(upserted!.author, lid(ALICE));
    assert.equal(upserted!.authorPn, pn(ALICE));
    assert.equal(upserted!.participants.length, 3);
  }
  const state = await control(sb, 'GET', `/sandbox/v1/groups/${encodeURIComponent(meta.id)}`);
  assert.equal(state.body.creator, ALICE);
  assert.deepEqual(
    state.body.members.map((m: { phone: string; role: string }) => [m.phone, m.role]),
    [[ALICE, 'superadmin'], [BOB, 'member'], [CAROL, 'member']]
  );
});

test('groupMetadata and groupFetchAllParticipating for members; 403 for non-members, 404 for unknown groups', async () => {
  const meta = await groupOf(BOB);
  const seen = await sock(bob).groupMetadata(meta.id);
  assert.equal(seen.subject, meta.subject);
  assert.equal(seen.participants.length, 2);
  const all = await sock(bob).groupFetchAllParticipating();
  assert.equal(all[meta.id]?.subject, meta.subject);
  assert.equal(all[meta.id]?.addressingMode, 'lid');
  await rejectsWithCode(sock(eve).groupMetadata(meta.id), 403);
  await rejectsWithCode(sock(eve).groupUpdateSubject(meta.id, 'nope'), 403);
  await rejectsWithCode(sock(eve).groupMetadata('120363000000000000@g.us'), 404);
});

test('subject, description, settings, timer and modes reach every member device with the author', async () => {
  const meta = await groupOf(BOB);
  const { id } = meta;
  await sock(alice1).groupUpdateSubject(id, 'Renamed');
  for (const client of [alice1, alice2, bob]) {
    const [update] = (await groupUpdate(client, id, (u) => u.subject === 'Renamed')).filter((u) => u.id === id);
    assert.equal(update!.author, lid(ALICE));
    // No `authorPn`: rc14 builds the stub through proto.WebMessageInfo.fromObject, which drops key.participantAlt.
  }
  await sock(alice1).groupUpdateDescription(id, 'About us');
  await groupUpdate(bob, id, (u) => u.desc === 'About us');
  const described = await sock(bob).groupMetadata(id);
  assert.equal(described.desc, 'About us');
  assert.equal(described.descOwner, lid(ALICE));
  const stale = sock(alice1).query({
    tag: 'iq',
    attrs: { type: 'set', xmlns: 'w:g2', to: id },
    content: [{ tag: 'description', attrs: { id: 'NEWID', prev: 'STALE' }, content: [{ tag: 'body', attrs: {}, content: Buffer.from('x') }] }]
  });
  await rejectsWithCode(stale, 409);
  await sock(bob).groupUpdateDescription(id, 'Changed by Bob');
  await groupUpdate(alice2, id, (u) => u.desc === 'Changed by Bob' && u.author === lid(BOB));

  await sock(alice1).groupSettingUpdate(id, 'announcement');
  await groupUpdate(bob, id, (u) => u.announce === true);
  await sock(alice1).groupSettingUpdate(id, 'locked');
  await groupUpdate(bob, id, (u) => u.restrict === true);
  await sock(alice1).groupSettingUpdate(id, 'not_announcement');
  await groupUpdate(alice2, id, (u) => u.announce === false);
  await sock(alice1).groupSettingUpdate(id, 'unlocked');
  await groupUpdate(alice2, id, (u) => u.restrict === false);
  await sock(alice1).groupMemberAddMode(id, 'all_member_add');
  await groupUpdate(bob, id, (u) => u.memberAddMode === true && u.author === lid(ALICE));
  await sock(alice1).groupJoinApprovalMode(id, 'on');
  await groupUpdate(bob, id, (u) => u.joinApprovalMode === true);
  await sock(alice1).groupToggleEphemeral(id, 86400);
  await bob.waitFor('chats.update', (chats) => chats.some((c) => c.id === id && c.ephemeralExpiration === 86400));

  const final = await sock(bob).groupMetadata(id);
  assert.equal(final.subject, 'Renamed');
  assert.equal(final.announce, false);
  assert.equal(final.restrict, false);
  assert.equal(final.memberAddMode, true);
  assert.equal(final.joinApprovalMode, true);
  assert.equal(final.ephemeralDuration, 86400);
  await sock(alice1).groupToggleEphemeral(id, 0);
  assert.equal((await sock(bob).groupMetadata(id)).ephemeralDuration, undefined);
});

test('members who are not admins get 401 not-authorized; a locked group keeps its info to admins', async () => {
  const { id } = await groupOf(BOB);
  const refused = [
    () => sock(bob).groupSettingUpdate(id, 'announcement'),
    () => sock(bob).groupSettingUpdate(id, 'locked'),
    () => sock(bob).groupInviteCode(id),
    () => sock(bob).groupRevokeInvite(id),
    () => sock(bob).groupParticipantsUpdate(id, [pn(CAROL)], 'add'),
    () => sock(bob).groupParticipantsUpdate(id, [pn(ALICE)], 'demote'),
    () => sock(bob).groupMemberAddMode(id, 'all_member_add'),
    () => sock(bob).groupJoinApprovalMode(id, 'on'),
    () => sock(bob).groupRequestParticipantsList(id),
    () => sock(bob).groupRequestParticipantsUpdate(id, [pn(CAROL)], 'approve')
  ];
  for (const attempt of refused) await rejectsWithCode(attempt(), 401);
  await sock(bob).groupUpdateSubject(id, 'Open to all');
  await sock(bob).groupToggleEphemeral(id, 604800);
  await sock(alice1).groupSettingUpdate(id, 'locked');
  await rejectsWithCode(sock(bob).groupUpdateSubject(id, 'Locked out'), 401);
  await rejectsWithCode(sock(bob).groupUpdateDescription(id, 'Locked out'), 401);
  await rejectsWithCode(sock(bob).groupToggleEphemeral(id, 0), 401);
  assert.equal((await sock(alice1).groupMetadata(id)).subject, 'Open to all');
});

test('add/remove/promote/demote answer per participant (409, 404, 403) and notify with the author', async () => {
  const { id } = await groupOf(BOB);
  const added = await sock(alice1).groupParticipantsUpdate(id, [pn(CAROL), pn(BOB), '15559999999@s.whatsapp.net'], 'add');
  assert.deepEqual(
    added.map((r) => [r.jid, r.status]),
    [[pn(CAROL), '200'], [pn(BOB), '409'], ['15559999999@s.whatsapp.net', '404']]
  );
  for (const client of [bob, alice2]) {
    const update = await participantsUpdate(client, id, 'add');
    assert.equal(update.author, lid(ALICE));
    assert.deepEqual(update.participants.map((p) => [p.id, p.phoneNumber]), [[lid(CAROL), pn(CAROL)]]);
  }
  const promoted = await sock(alice1).groupParticipantsUpdate(id, [lid(BOB), pn(DAVE)], 'promote');
  assert.deepEqual(promoted.map((r) => r.status), ['200', '404']);
  const promotion = await participantsUpdate(bob, id, 'promote');
  assert.deepEqual(promotion.participants.map((p) => p.id), [lid(BOB)]);

  // Bob is an admin now, but the superadmin stays out of his reach.
  assert.deepEqual((await sock(bob).groupParticipantsUpdate(id, [pn(ALICE)], 'demote')).map((r) => r.status), ['403']);
  assert.deepEqual((await sock(bob).groupParticipantsUpdate(id, [pn(ALICE), pn(DAVE)], 'remove')).map((r) => r.status), ['403', '404']);
  assert.deepEqual((await sock(bob).groupParticipantsUpdate(id, [pn(CAROL)], 'remove')).map((r) => r.status), ['200']);
  const removal = await participantsUpdate(alice2, id, 'remove');
  assert.equal(removal.author, lid(BOB));
  assert.deepEqual(removal.participants.map((p) => p.id), [lid(CAROL)]);

  await sock(alice1).groupParticipantsUpdate(id, [pn(BOB)], 'demote');
  const demotion = await participantsUpdate(bob, id, 'demote');
  assert.equal(demotion.author, lid(ALICE));
  assert.equal((await sock(bob).groupMetadata(id)).participants.find((p) => p.id === lid(BOB))?.admin, null);
});

test('a removed member gets its own removal; privacy-refused adds get a private invitation (v4) to accept or revoke', async () => {
  const { id, subject } = await groupOf(BOB);
  await sock(alice1).groupParticipantsUpdate(id, [pn(BOB)], 'remove');
  const own = await participantsUpdate(bob, id, 'remove');
  assert.deepEqual(own.participants.map((p) => p.phoneNumber), [pn(BOB)]);
  await rejectsWithCode(sock(bob).groupMetadata(id), 403);

  sb.network.accounts.get(EVE)!.privacy.set('groupadd', 'contacts');
  try {
    const [first] = await sock(alice1).groupParticipantsUpdate(id, [pn(EVE)], 'add');
    const firstCode = (first!.content.content as { attrs: Record<string, string> }[])[0]!.attrs.code!;
    assert.equal(await sock(alice1).groupRevokeInviteV4(id, pn(EVE)), true);
    await rejectsWithCode(sock(eve).groupAcceptInviteV4(pn(ALICE), { groupJid: id, inviteCode: firstCode, inviteExpiration: 0, groupName: subject }), 406);
    const [refused] = await sock(alice1).groupParticipantsUpdate(id, [pn(EVE)], 'add');
    assert.equal(refused!.status, '403');
    const invitation = (refused!.content.content as { tag: string; attrs: Record<string, string> }[])[0]!;
    assert.equal(invitation.tag, 'add_request');
    const from = await sock(eve).groupAcceptInviteV4(pn(ALICE), {
      groupJid: id,
      inviteCode: invitation.attrs.code!,
      inviteExpiration: Number(invitation.attrs.expiration),
      groupName: subject
    });
    assert.equal(from, id);
    const joined = await participantsUpdate(alice2, id, 'add');
    assert.deepEqual(joined.participants.map((p) => p.id), [lid(EVE)]);
  } finally {
    sb.network.accounts.get(EVE)!.privacy.set('groupadd', 'all');
  }
});

test('all_member_add lets members add; leaving reads as a removal by the leaver; the last admin leaving leaves an heir', async () => {
  const { id } = await groupOf(BOB);
  await rejectsWithCode(sock(bob).groupParticipantsUpdate(id, [pn(CAROL)], 'add'), 401);
  await sock(alice1).groupMemberAddMode(id, 'all_member_add');
  assert.deepEqual((await sock(bob).groupParticipantsUpdate(id, [pn(CAROL)], 'add')).map((r) => r.status), ['200']);

  await sock(bob).groupLeave(id);
  const left = await participantsUpdate(alice1, id, 'remove');
  assert.equal(left.author, lid(BOB));
  assert.deepEqual(left.participants.map((p) => p.id), [lid(BOB)]);
  await rejectsWithCode(sock(bob).groupMetadata(id), 403);

  await sock(alice1).groupLeave(id);
  const state = await control(sb, 'GET', `/sandbox/v1/groups/${id.split('@')[0]}`);
  assert.deepEqual(state.body.members.map((m: { phone: string; role: string }) => [m.phone, m.role]), [[CAROL, 'admin']]);
  await rejectsWithCode(sock(alice1).groupLeave(id), 403);
});
