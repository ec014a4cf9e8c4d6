// Group commands and group events end to end: an engine session (Alice) against an in-process sandbox whose
// other members act from their simulated phones through the control API.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineRemoteError } from '../errors.js';
import type { EngineSession } from '../port.js';
import type { EngineSandbox, SessionProbe } from '../testing/engine-sandbox.js';
import type { GroupMetadata } from '../types.js';
import { useEngineSandbox } from '../../../test/support/engine-fixture.js';

const ALICE = '15550010001';
const BOB = '15550010002';
const CAROL = '15550010003';
const DAVE = '15550010004';
const EVE = '15550010005';
const NOBODY = '15559999999';

/** An 8×8 red JPEG. */
const JPEG = Buffer.from(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABgj/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCdABykX//Z',
  'base64'
);

const fixture = useEngineSandbox({ accounts: [BOB, CAROL, DAVE, EVE], linked: ALICE });
let net: EngineSandbox;
let alice: EngineSession;
let probe: SessionProbe;
before(async () => ({ net, session: alice, probe } = await fixture.ready));
const { pn, lid, person } = fixture;
const state = (gid: string) => net.ok('GET', `/sandbox/v1/groups/${encodeURIComponent(gid)}`);
const act = (gid: string, as: string, action: string, input: { participants?: string[]; value?: unknown } = {}) =>
  net.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(gid)}/actions`, { as, action, ...input });
const rejectsWith = (code: number) => (error: unknown) => error instanceof EngineRemoteError && error.code === code;

async function group(...members: string[]): Promise<GroupMetadata> {
  return alice.groups.create(`Group ${Math.random().toString(36).slice(2, 8)}`, members.map(pn));
}

test('create answers normalised metadata with PN and LID for every participant; metadata and list agree', async () => {
  const meta = await alice.groups.create('Team', [pn(BOB), CAROL, `${NOBODY}@c.us`]);
  assert.match(meta.id, /^\d+@g\.us$/);
  assert.equal(meta.subject, 'Team');
  assert.equal(meta.owner, pn(ALICE));
  assert.equal(meta.addressingMode, 'lid');
  assert.equal(meta.size, 3);
  assert.deepEqual(
    [...meta.participants].sort((a, b) => a.jid.localeCompare(b.jid)),
    [
      { ...person(ALICE), admin: 'superadmin' },
      { ...person(BOB), admin: null },
      { ...person(CAROL), admin: null }
    ]
  );
  assert.deepEqual(await alice.groups.metadata(meta.id), meta);
  assert.deepEqual(await alice.groups.metadata(meta.id.replace('@g.us', '')), meta);
  const listed = (await alice.groups.list()).find((g) => g.id === meta.id);
  assert.deepEqual(listed, meta);
});

test('settings, subject and description change the group, and the session sees its own changes as events', async () => {
  const { id } = await group(BOB);
  const from = probe.mark();
  await alice.groups.updateSubject(id, 'Renamed');
  await alice.groups.updateDescription(id, 'About us');
  await alice.groups.setting(id, 'announcement');
  await alice.groups.setting(id, 'locked');
  await alice.groups.joinApprovalMode(id, true);
  await alice.groups.memberAddMode(id, 'all_member_add');
  await alice.groups.ephemeral(id, 86_400);
  const meta = await alice.groups.metadata(id);
  assert.deepEqual(
    { subject: meta.subject, description: meta.description, announce: meta.announce, restrict: meta.restrict, joinApprovalMode: meta.joinApprovalMode, memberAddMode: meta.memberAddMode, ephemeral: meta.ephemeral },
    { subject: 'Renamed', description: 'About us', announce: true, restrict: true, joinApprovalMode: true, memberAddMode: 'all_member_add', ephemeral: 86_400 }
  );
  const update = (key: string) => probe.waitFor('group_update', (u) => u.groupId === id && key in u.changes, { from });
  assert.deepEqual((await update('subject')).author, person(ALICE));
  assert.equal((await update('description')).changes.description, 'About us');
  assert.equal((await update('announce')).changes.announce, true);
  assert.equal((await update('restrict')).changes.restrict, true);
  assert.equal((await update('joinApprovalMode')).changes.joinApprovalMode, true);
  assert.equal((await update('memberAddMode')).changes.memberAddMode, 'all_member_add');
  assert.equal((await update('ephemeral')).changes.ephemeral, 86_400);
  await alice.groups.updateDescription(id, null);
  assert.equal((await alice.groups.metadata(id)).description, null);
  await alice.groups.ephemeral(id, 0);
  assert.equal((await state(id)).settings.ephemeral, 0);
  await assert.rejects(alice.groups.updateSubject(id, 'x'.repeat(101)), rejectsWith(406), 'subject too long');
});

test('participants: per-participant results, add requests for privacy refusals, and events with PN and LID', async () => {
  net.sandbox.network.accounts.get(EVE)!.privacy.set('groupadd', 'contacts');
  const { id } = await group(BOB);
  const from = probe.mark();
  const added = await alice.groups.participants(id, 'add', [CAROL, pn(BOB), NOBODY, EVE]);
  assert.deepEqual(
    added.map(({ jid, status }) => ({ jid, status })),
    [
      { jid: pn(CAROL), status: 200 },
      { jid: pn(BOB), status: 409 },
      { jid: `${NOBODY}@s.whatsapp.net`, status: 404 },
      { jid: pn(EVE), status: 403 }
    ]
  );
  assert.match(added[3]!.addRequest?.code ?? '', /\S+/);
  assert.ok(added[3]!.addRequest!.expiration > Date.now() / 1000);
  const addEvent = await probe.waitFor('group_participants', (u) => u.groupId === id && u.action === 'add', { from });
  assert.deepEqual(addEvent, { groupId: id, author: person(ALICE), action: 'add', participants: [person(CAROL)] });
  assert.deepEqual((await alice.groups.participants(id, 'promote', [BOB])).map((r) => r.status), [200]);
  assert.equal((await alice.groups.metadata(id)).participants.find((p) => p.jid === pn(BOB))?.admin, 'admin');
  assert.deepEqual((await alice.groups.participants(id, 'demote', [BOB])).map((r) => r.status), [200]);
  assert.deepEqual((await alice.groups.participants(id, 'remove', [CAROL, DAVE])).map((r) => r.status), [200, 404]);
  for (const action of ['promote', 'demote', 'remove'] as const) {
    await probe.waitFor('group_participants', (u) => u.groupId === id && u.action === action, { from });
  }
});

test('events from other members: changes, adds and leaves made on their phones', async () => {
  const { id } = await group(BOB, CAROL);
  await alice.groups.participants(id, 'promote', [BOB]);
  const from = probe.mark();
  await act(id, BOB, 'subject', { value: 'Bob was here' });
  await act(id, BOB, 'add', { participants: [DAVE] });
  await act(id, CAROL, 'leave');
  await act(id, BOB, 'ephemeral', { value: 604_800 });
  const subject = await probe.waitFor('group_update', (u) => u.groupId === id && u.changes.subject !== undefined, { from });
  assert.deepEqual(subject, { groupId: id, author: person(BOB), changes: { subject: 'Bob was here' } });
  const add = await probe.waitFor('group_participants', (u) => u.groupId === id && u.action === 'add', { from });
  assert.deepEqual(add, { groupId: id, author: person(BOB), action: 'add', participants: [person(DAVE)] });
  const leave = await probe.waitFor('group_participants', (u) => u.groupId === id && u.action === 'leave', { from });
  assert.deepEqual(leave, { groupId: id, author: person(CAROL), action: 'leave', participants: [person(CAROL)] });
  const ephemeral = await probe.waitFor('group_update', (u) => u.groupId === id && u.changes.ephemeral !== undefined, { from });
  assert.deepEqual(ephemeral, { groupId: id, author: person(BOB), changes: { ephemeral: 604_800 } });

  const { pictureId } = await act(id, BOB, 'picture', { value: Buffer.from('not really a jpeg').toString('base64') });
  const picture = await probe.waitFor('group_update', (u) => u.groupId === id && u.changes.pictureId !== undefined, { from });
  assert.deepEqual(picture, { groupId: id, author: person(BOB), changes: { pictureId } });
  await act(id, BOB, 'picture');
  const removed = await probe.waitFor('group_update', (u) => u.groupId === id && u.changes.pictureId === null, { from });
  assert.deepEqual(removed.author, person(BOB));
});

test('invites: code, revoke, info, and joining a group by its code', async () => {
  const { id } = await group(BOB);
  const code = await alice.groups.inviteCode(id);
  assert.equal(code, await alice.groups.inviteCode(id));
  const info = await alice.groups.inviteInfo(`https://chat.whatsapp.com/${code}`);
  assert.equal(info.id, id);
  const fresh = await alice.groups.revokeInvite(id);
  assert.notEqual(fresh, code);
  await assert.rejects(alice.groups.inviteInfo(code), rejectsWith(410));

  const bobs = await net.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/groups`, { subject: 'Bob’s', participants: [CAROL] });
  const { code: bobsCode } = await act(bobs.id, BOB, 'invite_code');
  assert.deepEqual(await alice.groups.acceptInvite(bobsCode), { status: 'joined', groupId: bobs.id });
  const joined = await alice.groups.metadata(bobs.id);
  assert.equal(joined.participants.find((p) => p.jid === pn(ALICE))?.admin, null);
});

test('join requests: listed with PN and LID, approved or rejected, reported as events', async () => {
  const { id } = await group(BOB);
  await alice.groups.joinApprovalMode(id, true);
  const code = await alice.groups.inviteCode(id);
  const from = probe.mark();
  await net.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(id)}/join`, { phone: DAVE, code });
  await net.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(id)}/join`, { phone: EVE, code });
  const created = await probe.waitFor('group_join_request', (r) => r.groupId === id && r.participant.pn === pn(DAVE), { from });
  assert.equal(created.action, 'created');
  assert.deepEqual(created.participant, person(DAVE));
  const requests = await alice.groups.joinRequests(id);
  assert.deepEqual(requests.map(({ jid, lid, pn }) => ({ jid, lid, pn })).sort((a, b) => a.jid.localeCompare(b.jid)), [person(DAVE), person(EVE)]);
  assert.ok(requests.every((r) => r.requestedAt && r.requestedAt > 0));
  assert.deepEqual(await alice.groups.approveJoinRequests(id, [DAVE]), [{ jid: pn(DAVE), status: 200, addRequest: null }]);
  assert.deepEqual((await alice.groups.rejectJoinRequests(id, [EVE])).map((r) => r.status), [200]);
  await probe.waitFor('group_participants', (u) => u.groupId === id && u.action === 'add' && u.participants.some((p) => p.pn === pn(DAVE)), { from });
  assert.deepEqual(await alice.groups.joinRequests(id), []);
});

test('WhatsApp refusals surface as EngineRemoteError with its code; leaving works', async () => {
  const bobs = await net.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/groups`, { subject: 'Locked', participants: [ALICE] });
  await act(bobs.id, BOB, 'locked', { value: true });
  await assert.rejects(alice.groups.updateSubject(bobs.id, 'Mine now'), rejectsWith(401), 'not an admin');
  await assert.rejects(alice.groups.participants(bobs.id, 'remove', [BOB]), rejectsWith(401), 'not an admin');
  await assert.rejects(alice.groups.metadata('120363000000000000@g.us'), rejectsWith(404), 'no such group');
  await assert.rejects(alice.groups.acceptInvite('NoSuchCode123'), rejectsWith(406), 'unknown invite code');
  await alice.groups.leave(bobs.id);
  assert.ok(!(await state(bobs.id)).members.some((m: { phone: string }) => m.phone === ALICE));
  await assert.rejects(alice.groups.metadata(bobs.id), rejectsWith(403), 'no longer a member');
});

test('group pictures: none, set, read, removed', async () => {
  const { id } = await group(BOB);
  assert.equal(await alice.groups.picture(id), null);
  await alice.groups.setPicture(id, JPEG);
  assert.match((await alice.groups.picture(id, { highRes: true })) ?? '', /^https:\/\//);
  await alice.groups.removePicture(id);
  assert.equal(await alice.groups.picture(id), null);
});
