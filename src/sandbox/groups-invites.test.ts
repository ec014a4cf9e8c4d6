// Raw Baileys against the sandbox's invite links, join requests and changes made by simulated humans on their
// phones through the control API; notifications are checked on every member device (Alice has two).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
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
const participantsUpdate = (client: RawClient, id: string, action: string, who: string) =>
  client.waitFor('group-participants.update', (u) => u.id === id && u.action === action && u.participants.some((p) => p.id === who));
const groupState = async (id: string) => (await control(sb, 'GET', `/sandbox/v1/groups/${encodeURIComponent(id)}`)).body;
const act = (id: string, body: Record<string, unknown>) => control(sb, 'POST', `/sandbox/v1/groups/${encodeURIComponent(id)}/actions`, body);

test('a revoked invite code stops working at once (410) while the new one opens the group; unknown codes get 406', async () => {
  const { id, subject } = await sock(alice1).groupCreate('Invites', [pn(BOB)]);
  const code = await sock(alice1).groupInviteCode(id);
  assert.ok(code);
  assert.equal((await sock(eve).groupGetInviteInfo(code)).subject, subject);

  const fresh = await sock(alice1).groupRevokeInvite(id);
  assert.ok(fresh && fresh !== code);
  for (const client of [alice1, alice2, bob]) {
    const updates = await groupUpdate(client, id, (u) => u.inviteCode === fresh);
    assert.equal(updates.find((u) => u.id === id)!.author, lid(ALICE));
  }
  await rejectsWithCode(sock(eve).groupAcceptInvite(code), 410);
  await rejectsWithCode(sock(eve).groupGetInviteInfo(code), 410);
  await rejectsWithCode(sock(eve).groupAcceptInvite('NoSuchCode0000000000AB'), 406);
  await rejectsWithCode(sock(eve).groupGetInviteInfo('NoSuchCode0000000000AB'), 406);

  const info = await sock(eve).groupGetInviteInfo(fresh);
  assert.equal(info.id, id);
  assert.equal(await sock(eve).groupAcceptInvite(fresh), id);
  for (const client of [alice1, alice2, bob, eve]) {
    const joined = await participantsUpdate(client, id, 'add', lid(EVE));
    assert.equal(joined.author, lid(EVE));
    assert.equal(joined.participants[0]!.phoneNumber, pn(EVE));
  }
  await rejectsWithCode(sock(eve).groupAcceptInvite(fresh), 409);
  const state = await groupState(id);
  assert.deepEqual(state.revokedCodes, [code]);
  assert.equal(state.inviteCode, fresh);
});

test('with approval on, joining is pending: admins see the request, approve or reject it per participant', async () => {
  const { id } = await sock(alice1).groupCreate('Approval', [pn(BOB)]);
  await sock(alice1).groupJoinApprovalMode(id, 'on');
  const code = (await sock(alice1).groupInviteCode(id))!;

  assert.equal(await sock(eve).groupAcceptInvite(code), undefined, 'pending: WhatsApp answers <membership_approval_request>, not <group>');
  for (const client of [alice1, alice2]) {
    const request = await client.waitFor('group.join-request', (r) => r.id === id && r.participant === lid(EVE));
    assert.deepEqual([request.action, request.method, request.participantPn, request.author], ['created', 'invite_link', pn(EVE), lid(EVE)]);
  }
  assert.deepEqual((await control(sb, 'POST', `/sandbox/v1/groups/${id}/join`, { phone: CAROL, code })).body, { status: 'pending' });
  await rejectsWithCode(sock(eve).groupMetadata(id), 403);

  const listed = await sock(alice1).groupRequestParticipantsList(id);
  assert.deepEqual(
    listed.map((r) => [r.jid, r.phone_number, r.request_method]),
    [[lid(EVE), pn(EVE), 'invite_link'], [lid(CAROL), pn(CAROL), 'invite_link']]
  );
  assert.deepEqual(
    (await sock(alice1).groupRequestParticipantsUpdate(id, [lid(EVE), pn(DAVE)], 'approve')).map((r) => [r.jid, r.status]),
    [[lid(EVE), '200'], [pn(DAVE), '404']]
  );
  const approved = await participantsUpdate(eve, id, 'add', lid(EVE));
  assert.equal(approved.author, lid(ALICE));
  await participantsUpdate(bob, id, 'add', lid(EVE));

  assert.deepEqual((await sock(alice1).groupRequestParticipantsUpdate(id, [pn(CAROL)], 'reject')).map((r) => r.status), ['200']);
  const rejected = await alice2.waitFor('group.join-request', (r) => r.id === id && r.action === 'rejected');
  assert.deepEqual([rejected.participant, rejected.author], [lid(CAROL), lid(ALICE)]);

  const state = await groupState(id);
  assert.deepEqual(state.pendingRequests, []);
  assert.deepEqual(state.members.map((m: { phone: string }) => m.phone), [ALICE, BOB, EVE]);
  assert.equal(state.settings.joinApproval, true);
});

test('phone humans act through the control API with the same rules; clients see groups.update and demotions', async () => {
  const created = await control(sb, 'POST', `/sandbox/v1/accounts/${CAROL}/groups`, { subject: 'Carol\u2019s', participants: [ALICE, pn(BOB)] });
  assert.equal(created.status, 201);
  const { id } = created.body as { id: string };
  for (const client of [alice1, alice2, bob]) {
    const [upserted] = await client.waitFor('groups.upsert', (gs) => gs.some((g) => g.id === id));
    assert.deepEqual([upserted!.author, upserted!.owner, upserted!.subject], [lid(CAROL), lid(CAROL), 'Carol\u2019s']);
  }

  const promoted = await act(id, { as: CAROL, action: 'promote', participants: [ALICE, DAVE] });
  assert.deepEqual(promoted.body, { participants: [{ jid: pn(ALICE), status: 200 }, { jid: pn(DAVE), status: 404 }] });
  await participantsUpdate(alice1, id, 'promote', lid(ALICE));

  const revoked = await act(id, { as: CAROL, action: 'revoke_invite' });
  assert.equal(revoked.status, 200);
  for (const client of [alice1, alice2, bob]) {
    const updates = await groupUpdate(client, id, (u) => u.inviteCode === revoked.body.code);
    assert.equal(updates.find((u) => u.id === id)!.author, lid(CAROL));
  }

  assert.equal((await act(id, { as: CAROL, action: 'demote', participants: [lid(ALICE)] })).status, 200);
  for (const client of [alice1, alice2]) {
    const demoted = await participantsUpdate(client, id, 'demote', lid(ALICE));
    assert.equal(demoted.author, lid(CAROL));
  }

  const byMember = await act(id, { as: BOB, action: 'locked', value: true });
  assert.equal(byMember.status, 403);
  assert.match(byMember.body.error, /not an admin/);
  assert.equal((await act(id, { as: DAVE, action: 'subject', value: 'x' })).status, 403);
  assert.equal((await act(id, { as: CAROL, action: 'subject', value: 'Phone-made' })).status, 200);
  await groupUpdate(bob, id, (u) => u.subject === 'Phone-made' && u.author === lid(CAROL));
  const icon = await act(id, { as: CAROL, action: 'picture', value: Buffer.from('jpeg bytes').toString('base64') });
  assert.match(icon.body.pictureId, /^\d+$/);
  await alice2.waitFor('contacts.update', (updates) => updates.some((u) => u.id === id && u.imgUrl === 'changed'));
  assert.equal(sb.network.groups.get(id)!.picture?.jpeg.toString(), 'jpeg bytes');
  assert.equal((await act(id, { as: CAROL, action: 'approval_mode', value: 'maybe' })).status, 400);
  assert.equal((await act(id, { as: CAROL, action: 'add' })).status, 400);
  assert.equal((await act('120363000000000000', { as: CAROL, action: 'leave' })).status, 404);
});

test('control join and group state: joined, 410 revoked, 404 unknown code, 409 already a member; PN groups', async () => {
  const { id } = (await control(sb, 'POST', `/sandbox/v1/accounts/${ALICE}/groups`, { subject: 'PN mode', participants: [BOB], addressingMode: 'pn' })).body;
  const meta = await sock(bob).groupMetadata(id);
  assert.equal(meta.addressingMode, 'pn');
  assert.deepEqual(meta.participants.map((p) => [p.id, p.lid]), [[pn(ALICE), lid(ALICE)], [pn(BOB), lid(BOB)]]);

  const old = (await groupState(id)).inviteCode;
  const { code } = (await act(id, { as: ALICE, action: 'revoke_invite' })).body;
  const join = (phone: string, joinCode: string) => control(sb, 'POST', `/sandbox/v1/groups/${encodeURIComponent(id)}/join`, { phone, code: joinCode });
  assert.equal((await join(DAVE, old)).status, 410);
  assert.equal((await join(DAVE, 'NoSuchCode0000000000AB')).status, 404);
  assert.deepEqual((await join(DAVE, code)).body, { status: 'joined' });
  const added = await participantsUpdate(bob, id, 'add', pn(DAVE));
  assert.equal(added.author, pn(DAVE));
  assert.equal((await join(BOB, code)).status, 409);
  assert.equal((await control(sb, 'POST', '/sandbox/v1/groups/120363000000000000/join', { phone: DAVE, code })).status, 404);

  await act(id, { as: ALICE, action: 'description', value: 'Notes' });
  await act(id, { as: ALICE, action: 'ephemeral', value: 604800 });
  await act(id, { as: ALICE, action: 'member_add_mode', value: 'all_member_add' });
  const state = await groupState(id.split('@')[0]);
  assert.deepEqual(state, {
    id,
    subject: 'PN mode',
    description: 'Notes',
    creator: ALICE,
    addressingMode: 'pn',
    settings: { announce: false, locked: false, joinApproval: false, memberAddMode: 'all_member_add', ephemeral: 604800 },
    inviteCode: code,
    revokedCodes: [old],
    members: [
      { phone: ALICE, jid: pn(ALICE), lid: lid(ALICE), role: 'superadmin' },
      { phone: BOB, jid: pn(BOB), lid: lid(BOB), role: 'member' },
      { phone: DAVE, jid: pn(DAVE), lid: lid(DAVE), role: 'member' }
    ],
    pendingRequests: []
  });
  assert.equal((await control(sb, 'GET', '/sandbox/v1/groups/120363000000000000')).status, 404);
});

test('a member device that is offline gets the notifications on its next login', async () => {
  const { id } = await sock(alice1).groupCreate('Offline', [pn(BOB)]);
  await bob.waitFor('groups.upsert', (gs) => gs.some((g) => g.id === id));
  const closed = bob.waitFor('connection.update', (u) => u.connection === 'close');
  sock(bob).end(undefined);
  await closed;
  // The sandbox sees the socket close a moment after the client does; until then it would still send live.
  const bobDevice = sb.network.accounts.get(BOB)!.activeCompanion(1)!;
  while (sb.network.connectionOf(bobDevice)) await new Promise((resolve) => setTimeout(resolve, 10));
  await sock(alice1).groupUpdateSubject(id, 'While you were away');
  await sock(alice1).groupParticipantsUpdate(id, [pn(BOB)], 'promote');
  bob.start();
  await groupUpdate(bob, id, (u) => u.subject === 'While you were away');
  await participantsUpdate(bob, id, 'promote', lid(BOB));
});
