// Group actions end to end through the HTTP API against the sandbox, with other members acting from their
// phones: create/list/info, settings, participants (per-participant results, 207), invite links and joining,
// join requests, pictures, leaving and disbanding, and the group events as signed webhooks. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, hookTo, linkSession } from '../support/gateway-harness.js';
import { SMALL_PNG } from '../support/images.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ALICE = '15557770001';
const BOB = '15557770002';
const CAROL = '15557770003';
const DAVE = '15557770004';
const EVE = '15557770005';
const FRANK = '15557770006';
const NOBODY = '15557779999';
const SESSION = 'groups-alice';
const PNG_URI = `data:image/png;base64,${SMALL_PNG.toString('base64')}`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: groups`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let pictures: Server;
    let picturesUrl: string;
    const receiver = new WebhookReceiver('groups-secret-123');

    const get = (path: string, query: Record<string, string>) => gw.request('GET', `/api/v1${path}?${new URLSearchParams({ sessionId: SESSION, ...query })}`);
    const send = (method: string, path: string, body: Record<string, unknown>) => gw.request(method, `/api/v1${path}`, { body: { sessionId: SESSION, ...body } });
    const state = (gid: string) => sb.ok('GET', `/sandbox/v1/groups/${encodeURIComponent(gid)}`);
    const act = (gid: string, as: string, action: string, input: Record<string, unknown> = {}) =>
      sb.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(gid)}/actions`, { as, action, ...input });
    const phoneGroup = async (creator: string, ...members: string[]) =>
      (await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${creator}/groups`, { subject: `${creator}'s group`, participants: members })).id;
    const create = async (...members: string[]) => {
      const created = await send('POST', '/group/create', { groupName: `Team ${Math.random().toString(36).slice(2, 7)}`, participants: members });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      return created.body.results[0].groupId as string;
    };
    const webhook = (tag: string, match: (data: any) => boolean, what: string) =>
      eventually(() => receiver.events(tag).find((d) => match(d.body.data)), { what });

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      await receiver.start();
      for (const phone of [BOB, CAROL, DAVE, EVE, FRANK]) await sb.ok('POST', '/sandbox/v1/accounts', { phone, name: `User ${phone}` });
      await linkSession(gw, sb, SESSION, ALICE, 'Alice');
      await hookTo(gw, SESSION, receiver);
      pictures = createServer((req, res) => {
        if (req.url === '/pic.png') res.writeHead(200, { 'content-type': 'image/png' }).end(SMALL_PNG);
        else if (req.url === '/moved') res.writeHead(302, { location: '/pic.png' }).end();
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => pictures.listen(0, '127.0.0.1', resolve));
      picturesUrl = `http://127.0.0.1:${(pictures.address() as AddressInfo).port}`;
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await receiver.stop();
      await new Promise((resolve) => pictures.close(resolve));
      await db.dispose();
    });

    test('create, list, info (bare id accepted) and participants, in WARest shapes', async () => {
      const created = await send('POST', '/group/create', { groupName: 'Team', participants: [BOB, `${CAROL}@c.us`] });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.message, 'Group created');
      const { groupId, sessionId, phone } = created.body.results[0];
      assert.match(groupId, /^\d+@g\.us$/);
      assert.deepEqual([sessionId, phone], [SESSION, ALICE]);

      const list = await get('/groups', {});
      assert.equal(list.body.message, 'Groups list fetched');
      const listed = list.body.results[0].data.find((g: { id: string }) => g.id === groupId);
      assert.equal(listed.subject, 'Team');
      assert.equal(listed.participantsCount, 3);
      assert.equal(listed.participants, undefined);

      const info = await get('/group/info', { groupId: groupId.replace('@g.us', '') });
      assert.equal(info.status, 200, JSON.stringify(info.body));
      assert.equal(info.body.message, 'Group info');
      assert.equal(info.body.results[0].groupId, groupId);
      const data = info.body.results[0].data;
      assert.deepEqual(
        { id: data.id, subject: data.subject, desc: data.desc, announce: data.announce, restrict: data.restrict, memberAddMode: data.memberAddMode, participantsCount: data.participantsCount },
        { id: groupId, subject: 'Team', desc: null, announce: false, restrict: false, memberAddMode: false, participantsCount: 3 }
      );

      const participants = await get('/group/participants', { gid: groupId });
      assert.equal(participants.body.message, 'Participants fetched');
      const me = participants.body.results[0].participants.find((p: { isMe: boolean }) => p.isMe);
      assert.deepEqual([me.phone, me.isAdmin, me.isSuperAdmin], [ALICE, true, true]);
      const bob = participants.body.results[0].participants.find((p: { phone: string }) => p.phone === BOB);
      assert.deepEqual([bob.jid, bob.isAdmin, bob.isSuperAdmin, bob.isMe], [`${BOB}@s.whatsapp.net`, false, false, false]);
      assert.match(bob.lid, /@lid$/);
    });

    test('settings change the group, info reflects them at once, and group_update webhooks carry `update`', async () => {
      const groupId = await create(BOB);
      const renamed = await send('POST', '/group/name', { groupId, groupName: 'Renamed' });
      assert.deepEqual([renamed.status, renamed.body.message, renamed.body.results[0].status], [200, 'Group name updated', 'success update group name']);
      assert.equal((await get('/group/info', { groupId })).body.results[0].data.subject, 'Renamed');
      const described = await send('POST', '/group/description', { group: groupId, desc: 'About us' });
      assert.deepEqual([described.body.message, described.body.results[0].groupDescription], ['Group description updated', 'About us']);
      const announced = await send('POST', '/group/announcement', { groupId, announcement: 'yes' });
      assert.deepEqual([announced.body.message, announced.body.results[0].status], ['Announcement mode enabled', 'success set announcement mode']);
      const locked = await send('POST', '/group/locked', { groupId, locked: 1 });
      assert.deepEqual([locked.body.message, locked.body.results[0].status], ['Group locked', 'success locked group']);
      const unlocked = await send('POST', '/group/locked', { groupId, locked: false });
      assert.deepEqual([unlocked.body.message, unlocked.body.results[0].status], ['Group unlocked', 'success unlocked group']);
      const settings = (await state(groupId)).settings;
      assert.deepEqual([settings.announce, settings.locked], [true, false]);
      assert.equal((await state(groupId)).description, 'About us');
      const info = (await get('/group/info', { groupId })).body.results[0].data;
      assert.deepEqual([info.desc, info.announce, info.restrict], ['About us', true, false]);

      const subject = await webhook('group_update', (d) => d.groupId === groupId && d.update.subject === 'Renamed', 'subject update');
      assert.equal(subject.signatureValid, true);
      assert.deepEqual(subject.body.data.update, { id: groupId, author: `${ALICE}@s.whatsapp.net`, subject: 'Renamed' });
      assert.deepEqual(subject.body.data.changes, { subject: 'Renamed' });
      assert.equal(subject.body.data.id, SESSION);
      assert.equal(subject.body.data.author.jid, `${ALICE}@s.whatsapp.net`);
      await webhook('group_update', (d) => d.groupId === groupId && d.update.desc === 'About us', 'description update');
      await webhook('group_update', (d) => d.groupId === groupId && d.update.announce === true, 'announce update');
      await webhook('group_update', (d) => d.groupId === groupId && d.update.restrict === false, 'restrict update');
    });

    test('changes made on a phone reach the cached info and arrive as webhooks', async () => {
      const groupId = await create(BOB);
      assert.equal((await get('/group/info', { groupId })).body.results[0].data.subject.startsWith('Team'), true);
      await act(groupId, BOB, 'subject', { value: 'Bob renamed it' });
      await act(groupId, BOB, 'ephemeral', { value: 86_400 });
      await eventually(async () => ((await get('/group/info', { groupId })).body.results[0].data.subject === 'Bob renamed it' ? true : undefined), { what: 'cached info updated' });
      const update = await webhook('group_update', (d) => d.groupId === groupId && d.update.subject === 'Bob renamed it', 'phone subject change');
      assert.equal(update.body.data.update.author, `${BOB}@s.whatsapp.net`);
      const ephemeral = await webhook('group_update', (d) => d.groupId === groupId && d.update.ephemeralDuration === 86_400, 'ephemeral');
      assert.deepEqual(ephemeral.body.data.changes, { ephemeral: 86_400 });
      await send('POST', '/group/participants/promote', { groupId, participants: [BOB] });
      await act(groupId, BOB, 'add', { participants: [DAVE] });
      await eventually(async () => ((await get('/group/info', { groupId })).body.results[0].data.participantsCount === 3 ? true : undefined), { what: 'participant count' });
    });

    test('participants: per-participant results, 207 on partial success, 422 when none succeeds, events', async () => {
      const groupId = await create(BOB, CAROL);
      const added = await send('POST', '/group/participants/add', { groupId, participants: [DAVE, NOBODY] });
      assert.equal(added.status, 207, JSON.stringify(added.body));
      assert.deepEqual([added.body.code, added.body.message], [1004, 'Some participants failed to add']);
      const result = added.body.results[0];
      assert.deepEqual([result.addedParticipants, result.failedToAdd, result.status], [[DAVE], [NOBODY], 'partial']);
      assert.equal(result.participants.find((p: { phone: string }) => p.phone === NOBODY).reason, 'is not on WhatsApp');

      const promoted = await send('POST', '/group/participants/promote', { groupId, participants: [BOB] });
      assert.equal(promoted.status, 200);
      assert.deepEqual(promoted.body.results[0].participants.map(({ phone, status }: any) => ({ phone, status })), [{ phone: BOB, status: 'promoted' }]);
      const demoted = await send('POST', '/group/participants/demote', { groupId, participants: [`${BOB}@s.whatsapp.net`] });
      assert.equal(demoted.body.message, 'Participants demoted');

      const creator = await send('POST', '/group/participants/demote', { groupId, participants: [ALICE] });
      assert.equal(creator.status, 422);
      assert.equal(creator.body.results[0].participants[0].status, 'not permitted');
      assert.match(creator.body.message, /superadmin/);

      const removed = await gw.request('DELETE', '/api/v1/group/participants/remove', { body: { sessionId: SESSION, groupId, participants: [CAROL] } });
      assert.deepEqual([removed.status, removed.body.message, removed.body.results[0].removedParticipants], [200, 'Participants removed', [CAROL]]);
      const again = await gw.request('DELETE', '/api/v1/group/participants/remove', { body: { sessionId: SESSION, groupId, participants: [CAROL] } });
      assert.equal(again.status, 422);
      assert.deepEqual(again.body.results[0].failedToRemove, [CAROL]);
      assert.match(again.body.message, /not a member/);

      const join = await webhook('group_join', (d) => d.groupId === groupId && d.participants.includes(`${DAVE}@s.whatsapp.net`), 'group_join');
      assert.equal(join.body.data.action, 'add');
      assert.equal(join.body.data.contacts[0].pn, `${DAVE}@s.whatsapp.net`);
      await webhook('group_leave', (d) => d.groupId === groupId && d.participants.includes(`${CAROL}@s.whatsapp.net`), 'group_leave');
      await webhook('group_participants', (d) => d.groupId === groupId && d.action === 'promote', 'promote event');
    });

    test('invite link (admins), preview and join by link; approval mode answers pending', async () => {
      const ours = await create(BOB);
      const invite = await get('/group/invite', { groupId: ours });
      assert.equal(invite.body.message, 'Invite link fetched');
      assert.equal(invite.body.results[0].inviteLink, `https://chat.whatsapp.com/${(await state(ours)).inviteCode}`);

      const bobs = await phoneGroup(BOB, CAROL);
      const { code } = await act(bobs, BOB, 'invite_code');
      const preview = await get('/group/join-via-link', { inviteLink: `https://chat.whatsapp.com/${code}` });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.equal(preview.body.message, 'Invite info fetched');
      const info = preview.body.results[0];
      assert.deepEqual(
        [info.groupId, info.groupName, info.participantsCount, info.isGroupLocked, info.isAnnouncement, info.isEphemeral, info.inviteLink],
        [bobs, `${BOB}'s group`, 2, false, false, false, `https://chat.whatsapp.com/${code}`]
      );
      const joined = await send('POST', '/group/join-via-link', { code });
      assert.deepEqual([joined.status, joined.body.message, joined.body.results[0].status, joined.body.results[0].groupId], [200, 'Joined group via link', 'success joined group', bobs]);
      assert.equal((await get('/group/info', { groupId: bobs })).status, 200);
      const twice = await send('POST', '/group/join-via-link', { link: code });
      assert.deepEqual([twice.status, twice.body.code], [409, 2004]);

      const gated = await phoneGroup(BOB, CAROL);
      await act(gated, BOB, 'approval_mode', { value: true });
      const gatedCode = (await act(gated, BOB, 'invite_code')).code;
      const pending = await send('POST', '/group/join-via-link', { inviteLink: `https://chat.whatsapp.com/${gatedCode}` });
      assert.deepEqual([pending.status, pending.body.results[0].status, pending.body.results[0].groupId], [200, 'pending approval to join', gated]);
      assert.ok((await state(gated)).pendingRequests.some((r: { phone: string }) => r.phone === ALICE));
    });

    test('join requests: listed, approved and rejected with WARest result keys; events', async () => {
      const groupId = await create(BOB);
      await act(groupId, ALICE, 'approval_mode', { value: true });
      const { code } = await act(groupId, ALICE, 'invite_code');
      for (const phone of [EVE, FRANK]) await sb.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(groupId)}/join`, { phone, code });
      const requests = await get('/group/participants/requests', { groupId });
      assert.equal(requests.body.message, 'Join requests fetched');
      const rows = requests.body.results[0].joinRequests;
      assert.deepEqual(rows.map((r: { phone: string }) => r.phone).sort(), [EVE, FRANK]);
      assert.equal(rows[0].jid, `${rows[0].phone}@s.whatsapp.net`);
      assert.match(rows[0].lid, /@lid$/);
      assert.ok(rows[0].requestTime > 0);

      const approved = await send('POST', '/group/participants/request/approve', { groupId, participants: [EVE] });
      assert.deepEqual([approved.status, approved.body.message, approved.body.results[0].approvedParticipants], [200, 'Participants approved', [EVE]]);
      const rejected = await send('POST', '/group/participants/request/reject', { groupId, participants: [FRANK] });
      assert.deepEqual([rejected.body.message, rejected.body.results[0].participants[0].status], ['Participants rejected', 'rejected']);
      assert.deepEqual((await get('/group/participants/requests', { groupId })).body.results[0].joinRequests, []);
      const request = await webhook('group_join_request', (d) => d.groupId === groupId && d.participant.pn === `${FRANK}@s.whatsapp.net`, 'join request event');
      assert.equal(request.body.data.action, 'created');
    });

    test('pictures: data URI and http(s) URL set it, read, remove; group_update carries the change', async () => {
      const groupId = await create(BOB);
      assert.deepEqual((await get('/group/picture', { groupId })).body.results[0].pictureUrl, null);
      const set = await send('POST', '/group/picture', { groupId, picture: PNG_URI });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.deepEqual([set.body.message, set.body.results[0].status], ['Group picture updated', 'success update group picture']);
      assert.match(set.body.results[0].pictureUrl, /^https:\/\//);
      const read = await get('/group/picture', { groupId });
      assert.deepEqual([read.body.message, typeof read.body.results[0].pictureUrl], ['Group picture', 'string']);
      await webhook('group_update', (d) => d.groupId === groupId && typeof d.update.picture === 'string', 'picture event');

      const viaUrl = await send('POST', '/group/picture', { groupId, image: `${picturesUrl}/moved` });
      assert.equal(viaUrl.status, 200, JSON.stringify(viaUrl.body));
      const missing = await send('POST', '/group/picture', { groupId, picture: `${picturesUrl}/nothing.png` });
      assert.deepEqual([missing.status, missing.body.code], [400, 2002]);

      const removed = await gw.request('DELETE', '/api/v1/group/picture', { body: { sessionId: SESSION, groupId } });
      assert.deepEqual([removed.status, removed.body.message, removed.body.results[0].status], [200, 'Group picture removed', 'success remove group picture']);
      assert.equal((await get('/group/picture', { groupId })).body.results[0].pictureUrl, null);
      await webhook('group_update', (d) => d.groupId === groupId && d.update.picture === null, 'picture removed event');
    });

    test('leave; delete disbands (others removed, link revoked, left); 403 2201 when not admin; 207 when a removal fails', async () => {
      const left = await phoneGroup(BOB, ALICE);
      const leave = await send('POST', '/group/leave', { groupId: left });
      assert.deepEqual([leave.status, leave.body.message, leave.body.results[0].status], [200, 'Left group', 'success leave']);
      assert.ok(!(await state(left)).members.some((m: { phone: string }) => m.phone === ALICE));

      const groupId = await create(BOB, CAROL);
      const deleted = await gw.request('DELETE', '/api/v1/group/delete', { body: { sessionId: SESSION, groupId } });
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      assert.equal(deleted.body.message, 'Group disbanded');
      const result = deleted.body.results[0];
      assert.deepEqual([result.removedParticipants.sort(), result.failedToRemove, result.status], [[BOB, CAROL], [], 'success delete group']);
      assert.equal((await sb.control('GET', `/sandbox/v1/groups/${encodeURIComponent(groupId)}`)).status, 404, 'the emptied group is gone');

      const bobs = await phoneGroup(BOB, ALICE, CAROL);
      const notAdmin = await gw.request('DELETE', '/api/v1/group/delete', { body: { sessionId: SESSION, groupId: bobs } });
      assert.deepEqual([notAdmin.status, notAdmin.body.code, notAdmin.body.message], [403, 2201, 'Bot is not an admin in this group']);
      assert.equal(notAdmin.body.results[0].status, 'not permitted');
      assert.ok(notAdmin.body.results[0].normMembers.some((m: { isSelf: boolean }) => m.isSelf));

      await act(bobs, BOB, 'promote', { participants: [ALICE] });
      const code = (await state(bobs)).inviteCode;
      const partial = await gw.request('DELETE', '/api/v1/group/delete', { body: { sessionId: SESSION, groupId: bobs } });
      assert.equal(partial.status, 207, JSON.stringify(partial.body));
      assert.deepEqual([partial.body.message, partial.body.results[0].failedToRemove, partial.body.results[0].removedParticipants], ['Some members failed to remove', [BOB], [CAROL]]);
      const remaining = await state(bobs);
      assert.deepEqual(remaining.members.map((m: { phone: string }) => m.phone), [BOB]);
      assert.ok(remaining.revokedCodes.includes(code), 'the invite link was revoked');
    });

    test('a member who is not an admin gets 403 GROUP_NOT_ADMIN for admin actions (nothing is swallowed)', async () => {
      const bobs = await phoneGroup(BOB, ALICE);
      await act(bobs, BOB, 'locked', { value: true });
      for (const [method, path, extra] of [
        ['GET', '/group/invite', {}],
        ['POST', '/group/name', { groupName: 'Mine now' }],
        ['POST', '/group/announcement', { announcement: true }],
        ['DELETE', '/group/participants/remove', { participants: [BOB] }],
        ['GET', '/group/participants/requests', {}],
        ['POST', '/group/picture', { picture: PNG_URI }]
      ] as const) {
        const answer = method === 'GET' ? await get(path, { groupId: bobs }) : await send(method, path, { groupId: bobs, ...extra });
        assert.deepEqual([answer.status, answer.body.code], [403, 5008], `${method} ${path}: ${JSON.stringify(answer.body)}`);
        assert.match(answer.body.message, /not an admin|locked/);
      }
    });
  });
}
