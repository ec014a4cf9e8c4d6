// Bad input to the group routes, end to end: each mistake a caller can make gets a 4xx with the right app code
// and a message naming what to fix — group ids, membership, participants, invite links, switches, texts,
// pictures (paths refused, size and type checked, private URLs refused) and session problems. Both dialects.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DIALECTS, TestDatabase, TestGateway, TestSandbox, linkSession, type Answer } from '../support/gateway-harness.js';
import { SMALL_PNG } from '../support/images.js';

const ALICE = '15558880001';
const BOB = '15558880002';
const SESSION = 'input-alice';
const UNKNOWN_GROUP = '120363000000000000@g.us';

for (const dialect of DIALECTS) {
  describe(`${dialect}: group routes, bad input`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let alice: ApiClient;
    let bob: ApiClient;
    let ours: string;
    let bobs: string;

    const get = (path: string, query: Record<string, string>, client = alice) => client.request('GET', `/api/v1${path}?${new URLSearchParams({ sessionId: SESSION, ...query })}`);
    const send = (method: string, path: string, body: Record<string, unknown>, client = alice) => client.request(method, `/api/v1${path}`, { body: { sessionId: SESSION, ...body } });
    const expect = (answer: Answer, status: number, code: number, message?: RegExp) => {
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.equal(answer.body.code, code, JSON.stringify(answer.body));
      assert.equal(answer.body.status, false);
      if (message) assert.match(answer.body.message, message);
    };

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      // Private picture URLs are refused as in production (the harness allows them by default).
      gw = await TestGateway.start(db, sb, { WAYGATE_WEBHOOK_ALLOW_PRIVATE: 'false' });
      const keyFor = async (name: string) => (await gw.request('POST', '/api/v1/keys', { body: { name } })).body.results[0].key as string;
      alice = new ApiClient(gw.url, await keyFor('alice'));
      bob = new ApiClient(gw.url, await keyFor('bob'));
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: BOB, name: 'Bob' });
      await linkSession(alice, sb, SESSION, ALICE, 'Alice');
      ours = (await send('POST', '/group/create', { groupName: 'Ours', participants: [BOB] })).body.results[0].groupId;
      bobs = (await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/groups`, { subject: 'Not ours' })).id;
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test('group ids: missing → 400 2001; a non-group JID or garbage → 400 2002 naming groupId; a wrong type → 400', async () => {
      expect(await get('/group/info', {}), 400, 2001, /groupId is required/);
      expect(await get('/group/info', { groupId: `${BOB}@s.whatsapp.net` }), 400, 2002, /groupId must be a group id ending in @g\.us/);
      expect(await get('/group/info', { groupId: 'family-chat' }), 400, 2002, /groupId "family-chat" is not a group id/);
      expect(await send('POST', '/group/leave', { groupId: { id: ours } }), 400, 2002, /groupId/);
    });

    test('a group the number is not in → 404 5012 GROUP_NOT_MEMBER; one that does not exist → 404 2604 GROUP_NOT_FOUND', async () => {
      expect(await get('/group/info', { groupId: bobs }), 404, 5012, /not a member of group/);
      expect(await send('POST', '/group/name', { groupId: bobs, groupName: 'x' }), 404, 5012);
      expect(await send('POST', '/group/leave', { groupId: bobs }), 404, 5012);
      expect(await get('/group/picture', { groupId: bobs }), 404, 5012);
      expect(await get('/group/info', { groupId: UNKNOWN_GROUP }), 404, 2604, /does not exist/);
      expect(await send('POST', '/group/participants/add', { groupId: UNKNOWN_GROUP, participants: [BOB] }), 404, 2604);
    });

    test('participants: missing or empty → 400 2001 naming participants; malformed entries → 400 2002 naming the entry', async () => {
      expect(await send('POST', '/group/participants/add', { groupId: ours }), 400, 2001, /participants is required/);
      expect(await send('POST', '/group/participants/add', { groupId: ours, participants: [] }), 400, 2001, /participants is required/);
      expect(await send('POST', '/group/participants/promote', { groupId: ours, participants: [BOB, 'not-a-number'] }), 400, 2002, /participants\[1\] "not-a-number"/);
      expect(await send('POST', '/group/participants/demote', { groupId: ours, participants: ['120363111@g.us'] }), 400, 2002, /participants\[0\].*is not a user/);
      expect(await send('POST', '/group/participants/request/approve', { groupId: ours, participants: ['0812345678'] }), 400, 2002, /country code/);
      expect(await send('POST', '/group/participants/add', { groupId: ours, participants: [{ phone: BOB }] }), 400, 2002, /participants/);
    });

    test('invite links: malformed → 400, unknown → 404, revoked → 404 saying it was revoked', async () => {
      expect(await get('/group/join-via-link', { inviteLink: 'https://chat.whatsapp.com/short' }), 400, 2001, /inviteLink is required/);
      expect(await send('POST', '/group/join-via-link', {}), 400, 2001, /inviteLink/);
      expect(await get('/group/join-via-link', { inviteLink: 'AbCdEfGhIjKlMnOpQrStUv' }), 404, 2600, /does not lead to any group/);
      const { code } = await sb.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(bobs)}/actions`, { as: BOB, action: 'invite_code' });
      await sb.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(bobs)}/actions`, { as: BOB, action: 'revoke_invite' });
      expect(await get('/group/join-via-link', { inviteLink: `https://chat.whatsapp.com/${code}` }), 404, 2600, /was revoked/);
      expect(await send('POST', '/group/join-via-link', { code }), 404, 2600, /was revoked/);
    });

    test('switches and texts: unknown words and missing values → 400 naming the field; over-long texts → 400 with the limit', async () => {
      expect(await send('POST', '/group/announcement', { groupId: ours, announcement: 'maybe' }), 400, 2002, /announcement must be true or false/);
      expect(await send('POST', '/group/locked', { groupId: ours }), 400, 2001, /locked is required/);
      expect(await send('POST', '/group/name', { groupId: ours }), 400, 2001, /groupName is required/);
      expect(await send('POST', '/group/name', { groupId: ours, name: 'x'.repeat(101) }), 400, 5009, /at most 100/);
      expect(await send('POST', '/group/description', { groupId: ours, description: 'x'.repeat(2049) }), 400, 5010, /at most 2048/);
      expect(await send('POST', '/group/create', { participants: [BOB] }), 400, 2001, /groupName is required/);
    });

    test('pictures: file paths and other schemes → 400; not an image → 415; over 5 MB → 413; private URLs → 400 refused', async () => {
      expect(await send('POST', '/group/picture', { groupId: ours }), 400, 2001, /picture is required/);
      expect(await send('POST', '/group/picture', { groupId: ours, picture: '/etc/passwd' }), 400, 2002, /file paths/);
      expect(await send('POST', '/group/picture', { groupId: ours, picture: './avatar.png' }), 400, 2002, /file paths/);
      expect(await send('POST', '/group/picture', { groupId: ours, picture: 'file:///etc/hosts' }), 400, 2002, /file paths/);
      expect(await send('POST', '/group/picture', { groupId: ours, picture: 'data:text/plain;base64,aGVsbG8=' }), 415, 5502, /image data URI/);
      expect(await send('POST', '/group/picture', { groupId: ours, picture: 'data:image/png;base64,aGVsbG8gd29ybGQ=' }), 415, 5502, /not a JPEG, PNG, WebP, GIF image/);
      const huge = `data:image/png;base64,${Buffer.concat([SMALL_PNG, Buffer.alloc(6 * 1024 * 1024)]).toString('base64')}`;
      expect(await send('POST', '/group/picture', { groupId: ours, picture: huge }), 413, 5503, /5 MB limit/);
      expect(await send('POST', '/group/picture', { groupId: ours, picture: 'http://127.0.0.1:9/pic.png' }), 400, 2002, /refused: .*loopback/);
      expect(await send('POST', '/group/picture', { groupId: ours, picture: 'http://169.254.169.254/latest/meta-data' }), 400, 2002, /link-local/);
      expect(await send('POST', '/group/picture', { groupId: ours, picture: 'http://[::ffff:10.0.0.1]/x.png' }), 400, 2002, /private/);
    });

    test("sessions: unknown → 404 1101; another user's → 403 2201; not linked → 409 1106", async () => {
      expect(await get('/groups', { sessionId: 'ghost' }), 404, 1101);
      expect(await get('/group/info', { groupId: ours }, bob), 403, 2201);
      expect(await send('POST', '/group/participants/add', { groupId: ours, participants: [BOB] }, bob), 403, 2201);
      const created = await bob.request('GET', '/api/v1/session/create?sessionId=input-unlinked');
      assert.equal(created.status, 202);
      expect(await get('/groups', { sessionId: 'input-unlinked' }, bob), 409, 1106, /not connected/);
      expect(await send('POST', '/group/create', { sessionId: 'input-unlinked', groupName: 'x' }, bob), 409, 1106);
    });
  });
}
