// Contract: the 24 group actions exactly as the WARest n8n node sends them (api-compat §1.2-1.3: method, route,
// query for GET and a JSON body for everything else including DELETE, both auth headers, empty values omitted,
// path params URI-encoded), each answered in the WARest envelope with the result fields of §4.1.
// Revoke belongs to the invites module: until it lands it must at least answer an enveloped non-404.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DIALECTS, TestDatabase, TestGateway, TestSandbox, linkSession } from '../support/gateway-harness.js';
import { SMALL_PNG } from '../support/images.js';
import { enveloped, hasFields, n8nCall } from '../support/n8n-node.js';

// [operation, method, route, fields] as in the node (api-compat §1.3 rows 39-62).
const GROUP_ACTIONS = [
  ['listGroups', 'GET', '/groups', ['sessionId']],
  ['getGroupInfo', 'GET', '/group/info', ['sessionId', 'groupId']],
  ['getGroupInvite', 'GET', '/group/invite', ['sessionId', 'groupId']],
  ['revokeGroupInvite', 'POST', '/group/invite/revoke', ['sessionId', 'groupId']],
  ['joinGroupByLink', 'POST', '/group/join-via-link', ['sessionId', 'inviteLink']],
  ['previewGroupByLink', 'GET', '/group/join-via-link', ['sessionId', 'inviteLink']],
  ['createGroup', 'POST', '/group/create', ['sessionId', 'groupName', 'participants']],
  ['leaveGroup', 'POST', '/group/leave', ['sessionId', 'groupId']],
  ['deleteGroup', 'DELETE', '/group/delete', ['sessionId', 'groupId']],
  ['updateGroupName', 'POST', '/group/name', ['sessionId', 'groupId', 'groupName']],
  ['updateGroupDescription', 'POST', '/group/description', ['sessionId', 'groupId', 'groupDescription']],
  ['setGroupAnnouncement', 'POST', '/group/announcement', ['sessionId', 'groupId', 'announcement']],
  ['setGroupLocked', 'POST', '/group/locked', ['sessionId', 'groupId', 'locked']],
  ['getGroupParticipants', 'GET', '/group/participants', ['sessionId', 'groupId']],
  ['addGroupParticipants', 'POST', '/group/participants/add', ['sessionId', 'groupId', 'participants']],
  ['removeGroupParticipants', 'DELETE', '/group/participants/remove', ['sessionId', 'groupId', 'participants']],
  ['promoteGroupParticipants', 'POST', '/group/participants/promote', ['sessionId', 'groupId', 'participants']],
  ['demoteGroupParticipants', 'POST', '/group/participants/demote', ['sessionId', 'groupId', 'participants']],
  ['approveJoinRequest', 'POST', '/group/participants/request/approve', ['sessionId', 'groupId', 'participants']],
  ['rejectJoinRequest', 'POST', '/group/participants/request/reject', ['sessionId', 'groupId', 'participants']],
  ['listJoinRequests', 'GET', '/group/participants/requests', ['sessionId', 'groupId']],
  ['getGroupPicture', 'GET', '/group/picture', ['sessionId', 'groupId']],
  ['setGroupPicture', 'POST', '/group/picture', ['sessionId', 'groupId', 'picture']],
  ['deleteGroupPicture', 'DELETE', '/group/picture', ['sessionId', 'groupId']]
] as const;

type Operation = (typeof GROUP_ACTIONS)[number][0];

const ALICE = '15556660001';
const BOB = '15556660002';
const CAROL = '15556660003';
const DAVE = '15556660004';
const EVE = '15556660005';
const FRANK = '15556660006';
const SESSION = 'contract-alice';

for (const dialect of DIALECTS) {
  describe(`${dialect}: WARest n8n contract, groups`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let apiKey: string;
    const seen = new Set<Operation>();
    const call = (operation: Operation, values: Record<string, unknown>) => {
      seen.add(operation);
      return n8nCall(GROUP_ACTIONS, gw.url, apiKey, operation, { sessionId: SESSION, ...values });
    };
    const act = (gid: string, as: string, action: string, input: Record<string, unknown> = {}) =>
      sb.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(gid)}/actions`, { as, action, ...input });

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      apiKey = (await gw.request('POST', '/api/v1/keys', { body: { name: 'n8n' } })).body.results[0].key;
      for (const phone of [BOB, CAROL, DAVE, EVE, FRANK]) await sb.ok('POST', '/sandbox/v1/accounts', { phone });
      await linkSession(new ApiClient(gw.url, apiKey), sb, SESSION, ALICE);
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test('the 24 group actions, in a life of two groups', async () => {
      const base = ['sessionId', 'phone'];
      const group = [...base, 'groupId'];

      const created = enveloped('createGroup', await call('createGroup', { groupName: 'Contract', participants: [BOB, CAROL] }), 200, 1000, 'Group created');
      hasFields('createGroup', created, group);
      const groupId: string = created.groupId;
      assert.equal(created.phone, ALICE);

      const list = enveloped('listGroups', await call('listGroups', {}), 200, 1000, 'Groups list fetched');
      hasFields('listGroups', list, [...base, 'data']);
      const listed = list.data.find((g: { id: string }) => g.id === groupId);
      hasFields('listGroups data', listed, ['id', 'subject', 'owner', 'creation', 'desc', 'announce', 'restrict', 'participantsCount']);
      assert.ok(!('participants' in listed) && !('size' in listed));

      const info = enveloped('getGroupInfo', await call('getGroupInfo', { groupId }), 200, 1000, 'Group info');
      hasFields('getGroupInfo', info, [...base, 'data']);
      assert.equal(info.data.participantsCount, 3);

      const invite = enveloped('getGroupInvite', await call('getGroupInvite', { groupId }), 200, 1000, 'Invite link fetched');
      hasFields('getGroupInvite', invite, [...group, 'inviteLink']);
      assert.match(invite.inviteLink, /^https:\/\/chat\.whatsapp\.com\/[A-Za-z0-9]{10,}$/);

      const revoke = await call('revokeGroupInvite', { groupId });
      assert.notEqual(revoke.status, 404, 'revoke is routed');
      if (revoke.status === 501) {
        enveloped('revokeGroupInvite', revoke, 501, 8005);
      } else {
        const revoked = enveloped('revokeGroupInvite', revoke, 200, 1000, 'Invite link revoked');
        hasFields('revokeGroupInvite', revoked, [...group, 'inviteLink', 'code', 'previousCode']);
        assert.equal(revoked.previousCode, invite.inviteLink.split('/').pop());
        assert.equal(revoked.inviteLink, `https://chat.whatsapp.com/${revoked.code}`);
        assert.notEqual(revoked.code, revoked.previousCode);
      }

      const named = enveloped('updateGroupName', await call('updateGroupName', { groupId, groupName: 'Contract 2' }), 200, 1000, 'Group name updated');
      hasFields('updateGroupName', named, [...group, 'groupName', 'status']);
      assert.equal(named.status, 'success update group name');
      const described = enveloped('updateGroupDescription', await call('updateGroupDescription', { groupId, groupDescription: 'Rules' }), 200, 1000, 'Group description updated');
      assert.deepEqual([described.groupDescription, described.status], ['Rules', 'success update group description']);
      const announced = enveloped('setGroupAnnouncement', await call('setGroupAnnouncement', { groupId, announcement: true }), 200, 1000, 'Announcement mode enabled');
      assert.equal(announced.status, 'success set announcement mode');
      // false is not an empty value: the node sends it.
      const unlocked = enveloped('setGroupLocked', await call('setGroupLocked', { groupId, locked: false }), 200, 1000, 'Group unlocked');
      assert.equal(unlocked.status, 'success unlocked group');

      const participants = enveloped('getGroupParticipants', await call('getGroupParticipants', { groupId }), 200, 1000, 'Participants fetched');
      hasFields('getGroupParticipants', participants, [...group, 'participants']);
      for (const p of participants.participants) hasFields('participant', p, ['id', 'isMe', 'isAdmin', 'isSuperAdmin']);

      const added = enveloped('addGroupParticipants', await call('addGroupParticipants', { groupId, participants: [DAVE] }), 200, 1000, 'Participants added');
      hasFields('addGroupParticipants', added, [...group, 'addedParticipants', 'failedToAdd', 'status']);
      assert.deepEqual([added.addedParticipants, added.failedToAdd, added.status], [[DAVE], [], 'success']);
      const promoted = enveloped('promoteGroupParticipants', await call('promoteGroupParticipants', { groupId, participants: [BOB] }), 200, 1000, 'Participants promoted');
      assert.deepEqual([promoted.participants.map(({ phone, status }: any) => ({ phone, status })), promoted.status], [[{ phone: BOB, status: 'promoted' }], 'success']);
      const demoted = enveloped('demoteGroupParticipants', await call('demoteGroupParticipants', { groupId, participants: [BOB] }), 200, 1000, 'Participants demoted');
      assert.deepEqual(demoted.participants.map(({ phone, status }: any) => ({ phone, status })), [{ phone: BOB, status: 'demoted' }]);
      const removed = enveloped('removeGroupParticipants', await call('removeGroupParticipants', { groupId, participants: [DAVE] }), 200, 1000, 'Participants removed');
      assert.deepEqual([removed.removedParticipants, removed.failedToRemove, removed.status], [[DAVE], [], 'success']);

      await act(groupId, ALICE, 'approval_mode', { value: true });
      const { code } = await act(groupId, ALICE, 'invite_code');
      for (const phone of [EVE, FRANK]) await sb.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(groupId)}/join`, { phone, code });
      const requests = enveloped('listJoinRequests', await call('listJoinRequests', { groupId }), 200, 1000, 'Join requests fetched');
      hasFields('listJoinRequests', requests, [...group, 'joinRequests']);
      assert.equal(requests.joinRequests.length, 2);
      for (const r of requests.joinRequests) hasFields('join request', r, ['jid', 'lid', 'phone', 'requestMethod', 'requestTime']);
      const approved = enveloped('approveJoinRequest', await call('approveJoinRequest', { groupId, participants: [EVE] }), 200, 1000, 'Participants approved');
      assert.deepEqual([approved.approvedParticipants, approved.failedToApprove, approved.status], [[EVE], [], 'success']);
      const rejected = enveloped('rejectJoinRequest', await call('rejectJoinRequest', { groupId, participants: [FRANK] }), 200, 1000, 'Participants rejected');
      assert.deepEqual([rejected.participants.map(({ phone, status }: any) => ({ phone, status })), rejected.status], [[{ phone: FRANK, status: 'rejected' }], 'success']);

      const picture = `data:image/png;base64,${SMALL_PNG.toString('base64')}`;
      const set = enveloped('setGroupPicture', await call('setGroupPicture', { groupId, picture }), 200, 1000, 'Group picture updated');
      hasFields('setGroupPicture', set, [...group, 'pictureUrl', 'status']);
      const read = enveloped('getGroupPicture', await call('getGroupPicture', { groupId }), 200, 1000, 'Group picture');
      hasFields('getGroupPicture', read, [...group, 'pictureUrl']);
      assert.match(read.pictureUrl, /^https:\/\//);
      const unset = enveloped('deleteGroupPicture', await call('deleteGroupPicture', { groupId }), 200, 1000, 'Group picture removed');
      assert.equal(unset.status, 'success remove group picture');

      const bobs = (await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/groups`, { subject: 'Bob’s', participants: [CAROL] })).id;
      const bobsLink = `https://chat.whatsapp.com/${(await act(bobs, BOB, 'invite_code')).code}`;
      const preview = enveloped('previewGroupByLink', await call('previewGroupByLink', { inviteLink: bobsLink }), 200, 1000, 'Invite info fetched');
      hasFields('previewGroupByLink', preview, [...group, 'groupName', 'groupDescription', 'participantsCount', 'isGroupLocked', 'isAnnouncement', 'isEphemeral', 'inviteLink']);
      assert.deepEqual([preview.groupId, preview.groupName, preview.participantsCount], [bobs, 'Bob’s', 2]);
      const joined = enveloped('joinGroupByLink', await call('joinGroupByLink', { inviteLink: bobsLink }), 200, 1000, 'Joined group via link');
      hasFields('joinGroupByLink', joined, [...base, 'status']);
      assert.equal(joined.status, 'success joined group');
      const left = enveloped('leaveGroup', await call('leaveGroup', { groupId: bobs }), 200, 1000, 'Left group');
      assert.equal(left.status, 'success leave');

      const deleted = enveloped('deleteGroup', await call('deleteGroup', { groupId }), 200, 1000, 'Group disbanded');
      hasFields('deleteGroup', deleted, [...group, 'removedParticipants', 'failedToRemove', 'status']);
      assert.deepEqual([deleted.removedParticipants.sort(), deleted.failedToRemove, deleted.status], [[BOB, CAROL, EVE].sort(), [], 'success delete group']);

      assert.deepEqual([...seen].sort(), GROUP_ACTIONS.map(([op]) => op).sort(), 'every group action was sent');
    });

    test('errors are enveloped too, and the node sees them as non-2xx', async () => {
      const missing = await call('getGroupInfo', { groupId: '' });
      enveloped('getGroupInfo', missing, 400, 2001, 'groupId is required: send the group id, e.g. 120363012345678901@g.us');
      const notMember = await call('leaveGroup', { groupId: '120363000000000000' });
      assert.equal(notMember.status, 404);
      assert.ok([2604, 5012].includes(notMember.body.code));
    });
  });
}
