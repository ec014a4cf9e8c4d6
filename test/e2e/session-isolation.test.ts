// A request names at most one session, and a session token reaches exactly its own session: the attacks found
// by trying the API as an attacker would, on every route that takes a session, each answered 400/403 with
// nothing changed. Alice owns a1, a2 (linked, with a group) and a3 (not linked); Bob owns b1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_ACTIONS, API_PREFIX } from '../../src/http/route-table.js';
import { ApiClient, DIALECTS, TestDatabase, TestGateway, TestSandbox, linkSession, type Answer } from '../support/gateway-harness.js';

const P1 = '15554440001';
const P2 = '15554440002';
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

interface SessionRoute {
  method: string;
  /** with `:sessionId` (and other params) filled in by `url()` */
  path: string;
  fields: Record<string, unknown>;
}

/** Every implemented WARest route that acts on a session, plus Waygate's own session and invite routes. */
function sessionRoutes(groupId: string): SessionRoute[] {
  const fields = {
    groupId, groupName: 'Renamed', groupDescription: 'changed', participants: [P1], announcement: true, locked: true,
    picture: PNG, inviteLink: 'AbCdEf0123456789', phone: '15550009999'
  };
  const warest = API_ACTIONS.filter((a) => (a.category === 'Sessions' || a.category === 'Groups') && a.operation !== 'listSessions');
  return [
    ...warest.map((a) => ({ method: a.method, path: a.path, fields })),
    ...['GET /session/qr', 'POST /session/token', 'GET /session/webhooks/deliveries', 'POST /session/webhooks/replay',
      'GET /group/invite/history', 'GET /group/invite/policy', 'POST /group/invite/policy', 'DELETE /group/invite/policy']
      .map((route) => ({ method: route.split(' ')[0]!, path: route.split(' ')[1]!, fields: { groupId, oneTime: true } })),
  ];
}

function url(route: SessionRoute, pathSession: string, query: Record<string, string | string[]>): string {
  const path = route.path.replace(':sessionId', pathSession);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const v of [value].flat()) params.append(key, v);
  if (route.method === 'GET') for (const [key, value] of Object.entries(route.fields)) params.append(key, String(value));
  return `${API_PREFIX}${path}?${params}`;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: one session per request`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let alice: ApiClient;
    let bob: ApiClient;
    const tokens: Record<string, string> = {};
    let groupId: string;

    const asToken = (session: string, method: string, path: string, body?: unknown): Promise<Answer> =>
      gw.request(method, path, { key: null, headers: { 'access-token': tokens[session]! }, body });
    const groupName = async () => (await gw.request('GET', `${API_PREFIX}/group/info?sessionId=a2&groupId=${groupId}`)).body.results[0].data.subject;
    const sessionIds = async () => (await gw.request('GET', `${API_PREFIX}/session/list`)).body.results[0].items.map((s: { id: string }) => s.id).sort();
    const tokenWorks = async (session: string) => (await asToken(session, 'GET', `${API_PREFIX}/session/devices?instance_id=${session}`)).status === 200;

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      const keyFor = async (name: string) => (await gw.request('POST', `${API_PREFIX}/keys`, { body: { name } })).body.results[0].key as string;
      alice = new ApiClient(gw.url, await keyFor('alice'));
      bob = new ApiClient(gw.url, await keyFor('bob'));
      tokens.a1 = (await linkSession(alice, sb, 'a1', P1)).accessToken;
      tokens.a2 = (await linkSession(alice, sb, 'a2', P2)).accessToken;
      tokens.a3 = (await alice.request('GET', `${API_PREFIX}/session/create?sessionId=a3`)).body.results[0].accessToken;
      tokens.b1 = (await bob.request('GET', `${API_PREFIX}/session/create?sessionId=b1`)).body.results[0].accessToken;
      const created = await alice.request('POST', `${API_PREFIX}/group/create`, { body: { sessionId: 'a2', groupName: 'Team', participants: [P1] } });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      groupId = created.body.results[0].groupId;
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test("a1's token with instance_id twice and a2's number reaches nothing of a2's (groups, info, invite, rename)", async () => {
      const query = `instance_id=a1&instance_id=a1&access_token=${tokens.a1}&phone=${P2}`;
      for (const path of ['/groups', `/group/info?groupId=${groupId}&x=1`, `/group/invite?groupId=${groupId}&x=1`]) {
        const answer = await gw.request('GET', `${API_PREFIX}${path.includes('?') ? `${path}&${query}` : `${path}?${query}`}`, { key: null });
        assert.equal(answer.status, 400, `${path}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.code, 2002);
        assert.match(answer.body.message, /instance_id must be sent once/);
      }
      const rename = await gw.request('POST', `${API_PREFIX}/group/name?${query}`, { key: null, body: { groupId, groupName: 'Owned' } });
      assert.equal(rename.status, 400);
      const phoneOnly = await asToken('a1', 'GET', `${API_PREFIX}/groups?instance_id=a1&phone=${P2}`);
      assert.equal(phoneOnly.status, 400, 'the token names a1, the phone names a2');
      assert.match(phoneOnly.body.message, /name different sessions/);
      assert.equal(await groupName(), 'Team');
    });

    test("a3's token cannot act on the session named in the path or body (delete, config, token rotation)", async () => {
      const del = await gw.request('DELETE', `${API_PREFIX}/session/delete?instance_id=a3&access_token=${tokens.a3}`, { key: null, body: { sessionId: 'b1' } });
      assert.equal(del.status, 400);
      assert.match(del.body.message, /more than one session \(instance_id=a3, sessionId=b1\)/);
      const config = await gw.request('POST', `${API_PREFIX}/session/a2/config?instance_id=a3&access_token=${tokens.a3}`, { key: null, body: { webhookUrl: 'http://127.0.0.1:9/hook' } });
      assert.equal(config.status, 400);
      const rotate = await gw.request('POST', `${API_PREFIX}/session/token?instance_id=a3&access_token=${tokens.a3}`, { key: null, body: { sessionId: 'a2' } });
      assert.equal(rotate.status, 400);
      assert.deepEqual(await sessionIds(), ['a1', 'a2', 'a3', 'b1']);
      assert.ok(await tokenWorks('a3'), "a3's token was not rotated");
      assert.ok(await tokenWorks('a2'), "a2's token was not rotated");
      const a3 = await gw.request('POST', `${API_PREFIX}/session/a3/config`, { body: {} });
      assert.equal(a3.body.results[0].webhookUrl, null, "a3's config is unchanged");
    });

    test('a session token names its own session only, even when every selector agrees on another one', async () => {
      const other = await asToken('a1', 'GET', `${API_PREFIX}/session/devices?sessionId=a2&instance_id=a2`);
      assert.equal(other.status, 401, 'the token is checked against the instance it names');
      const byId = await asToken('a1', 'GET', `${API_PREFIX}/groups?sessionId=a1&instance_id=a1`);
      assert.equal(byId.status, 200);
      const byPhone = await bob.request('GET', `${API_PREFIX}/groups?phone=${P2}`);
      assert.deepEqual([byPhone.status, byPhone.body.code], [404, 1101], "bob cannot find alice's session by its number");
      const aliceByPhone = await alice.request('GET', `${API_PREFIX}/groups?phone=${P2}`);
      assert.equal(aliceByPhone.status, 200);
      assert.equal(aliceByPhone.body.results[0].sessionId, 'a2');
    });

    test('every route that takes a session refuses two selectors that disagree, a repeated one, and a list', async () => {
      for (const route of sessionRoutes(groupId)) {
        const body = route.method === 'GET' ? undefined : { ...route.fields, sessionId: 'a2' };
        const where = `${route.method} ${route.path}`;
        // The token's own instance_id in the query, another session in the body (or the query, for GET), or the path.
        const getQuery: Record<string, string> = route.method === 'GET' ? { instance_id: 'a1', sessionId: 'a2' } : { instance_id: 'a1' };
        const disagree = await gw.request(route.method, url(route, 'a2', { ...getQuery, access_token: tokens.a1! }), { key: null, body });
        assert.equal(disagree.status, 400, `${where}: ${JSON.stringify(disagree.body)}`);
        assert.match(disagree.body.message, /more than one session/, where);
        // The same with the admin key: agreement is required of everyone, not only of token holders.
        const admin = await gw.request(route.method, url(route, 'a2', getQuery), { body });
        assert.equal(admin.status, 400, `${where} (admin): ${JSON.stringify(admin.body)}`);
        // A repeated instance_id.
        const repeated = await gw.request(route.method, url(route, 'a1', { instance_id: ['a1', 'a2'], access_token: tokens.a1! }), { key: null, body: route.method === 'GET' ? undefined : route.fields });
        assert.equal(repeated.status, 400, `${where} (repeated): ${JSON.stringify(repeated.body)}`);
      }
      assert.equal(await groupName(), 'Team');
      assert.deepEqual(await sessionIds(), ['a1', 'a2', 'a3', 'b1']);
      assert.ok(await tokenWorks('a1'));
    });

    test('Wawp routes: an instance_id in the body that differs from the query is refused', async () => {
      const bare = groupId.split('@')[0];
      const revoke = await gw.request('POST', `/v2/groups/${bare}/invite-code/revoke?instance_id=a1&access_token=${tokens.a1}`, { key: null, body: { instance_id: 'a2' } });
      assert.equal(revoke.status, 400);
      assert.equal(revoke.body.error, 'invalid_parameter');
      const history = await gw.request('GET', `/v2/groups/${bare}/invite-code/history?instance_id=a1&instance_id=a2&access_token=${tokens.a1}`, { key: null });
      assert.equal(history.status, 400);
      const byKey = await alice.request('GET', `/v2/groups/${bare}/invite-code?instance_id=a2`);
      assert.equal(byKey.status, 200, JSON.stringify(byKey.body));
    });
  });
}
