// The auth model and bad input through the public API: admin key, user keys that own their sessions, per-session
// access tokens (Wawp instance_id + access_token), WARest's failure bodies, and clear 4xx for bad requests.
// Also: a sandbox that refuses connections for a while; the session backs off and recovers by itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, linkSession, sessionStatus } from '../support/gateway-harness.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: auth and bad input`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let alice: ApiClient;
    let bob: ApiClient;
    let aliceToken: string;
    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      const keyFor = async (name: string) => (await gw.request('POST', '/api/v1/keys', { body: { name } })).body.results[0].key as string;
      alice = new ApiClient(gw.url, await keyFor('alice'));
      bob = new ApiClient(gw.url, await keyFor('bob'));
      ({ accessToken: aliceToken } = await linkSession(alice, sb, 'alice-main', '15553330001'));
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test('missing and invalid keys get WARest bodies; server routes are admin-only except ping', async () => {
      const missing = await gw.request('GET', '/api/v1/session/list', { key: null });
      assert.equal(missing.status, 401);
      assert.deepEqual(missing.body, { error: 'Missing X-WAREST-API-KEY' });
      const invalid = await gw.request('GET', '/api/v1/session/list', { key: 'nope-nope-nope' });
      assert.deepEqual([invalid.status, invalid.body], [401, { error: 'Invalid X-WAREST-API-KEY' }]);
      const asUser = await alice.request('GET', '/api/v1/server/info');
      assert.deepEqual([asUser.status, asUser.body], [403, { error: 'Admin only' }]);
      assert.equal((await gw.request('GET', '/api/v1/server/ping', { key: null })).status, 200);
      const bearer = await gw.request('GET', '/api/v1/server/info', { key: null, headers: { authorization: `Bearer ${gw.key}` } });
      assert.equal(bearer.status, 200);
      assert.equal(bearer.body.results[0].database.dialect, dialect);
    });

    test("a user sees only their own sessions; another user's session is 403; a taken id is 409 on create", async () => {
      const list = await bob.request('GET', '/api/v1/session/list');
      assert.deepEqual(list.body.results[0].items, []);
      const foreign = await bob.request('GET', '/api/v1/session/devices?sessionId=alice-main');
      assert.equal(foreign.status, 403);
      assert.equal(foreign.body.code, 2201);
      const taken = await bob.request('GET', '/api/v1/session/create?sessionId=alice-main');
      assert.equal(taken.status, 409);
      assert.equal(taken.body.code, 1102);
      const own = await alice.request('GET', '/api/v1/session/list');
      assert.deepEqual(own.body.results[0].items.map((s: { id: string }) => s.id), ['alice-main']);
    });

    test('the session access token works for its session only (query, body or header), and rotation revokes it', async () => {
      const viaQuery = await gw.request('GET', `/api/v1/session/devices?instance_id=alice-main&access_token=${aliceToken}`, { key: null });
      assert.equal(viaQuery.status, 200);
      assert.equal(viaQuery.body.results[0].phone, '15553330001');
      const viaHeader = await gw.request('GET', '/api/v1/session/devices?instance_id=alice-main', { key: null, headers: { 'access-token': aliceToken } });
      assert.equal(viaHeader.status, 200);
      const wrongSession = await gw.request('GET', `/api/v1/session/devices?instance_id=other&access_token=${aliceToken}`, { key: null });
      assert.equal(wrongSession.status, 401);
      assert.equal(wrongSession.body.error, 'invalid_access_token');
      const rotated = await alice.request('POST', '/api/v1/session/token', { body: { sessionId: 'alice-main' } });
      const fresh = rotated.body.results[0].accessToken as string;
      assert.notEqual(fresh, aliceToken);
      assert.equal((await gw.request('GET', `/api/v1/session/devices?instance_id=alice-main&access_token=${aliceToken}`, { key: null })).status, 401);
      assert.equal((await gw.request('GET', `/api/v1/session/devices?instance_id=alice-main&access_token=${fresh}`, { key: null })).status, 200);
    });

    test('bad input: unknown session 404, invalid id 400, malformed JSON 400, wrong type 400 naming the field, oversized 413', async () => {
      const unknown = await alice.request('GET', '/api/v1/session/devices?sessionId=ghost');
      assert.deepEqual([unknown.status, unknown.body.code], [404, 1101]);
      const invalid = await alice.request('GET', '/api/v1/session/devices?sessionId=bad%20id!');
      assert.equal(invalid.status, 400);
      assert.match(invalid.body.message, /sessionId/);
      const malformed = await alice.request('POST', '/api/v1/session/alice-main/config', { body: '{"webhookUrl": ', headers: { 'content-type': 'application/json' } });
      assert.deepEqual([malformed.status, malformed.body.code], [400, 2008]);
      const wrongType = await alice.request('POST', '/api/v1/session/alice-main/config', { body: { autoStart: 'sometimes' } });
      assert.equal(wrongType.status, 400);
      assert.match(wrongType.body.message, /autoStart/);
      const huge = await alice.request('POST', '/api/v1/session/alice-main/config', { body: { webhookSecret: 'x'.repeat(3 * 1024 * 1024) } });
      assert.equal(huge.status, 413);
      // All 90 WARest actions are built: no operation is a 501 stub any more (the stub mechanism that answers
      // an action nobody has built yet is tested in src/http/route-table.test.ts).
      const docs = await alice.request('GET', '/docs/json');
      const stubs = Object.entries((docs.body?.paths ?? {}) as Record<string, Record<string, { description?: string }>>)
        .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })))
        .filter(({ op }) => /Not implemented yet/.test(op?.description ?? ''))
        .map(({ route }) => route);
      assert.ok(Object.keys(docs.body?.paths ?? {}).length > 90, 'the OpenAPI document lists the routes');
      assert.deepEqual(stubs, []);
      const noRoute = await alice.request('GET', '/api/v1/nothing/here');
      assert.deepEqual([noRoute.status, noRoute.body.code], [404, 2600]);
    });

    test('the sandbox refuses connections for a while: the session backs off, reconnects by itself and works again', async () => {
      await sb.ok('POST', '/sandbox/v1/faults', { type: 'refuse', seconds: 2 });
      await sb.ok('POST', '/sandbox/v1/faults', { type: 'drop', device: '15553330001:1@s.whatsapp.net' });
      await eventually(async () => ((await sessionStatus(alice, 'alice-main')) !== 'WORKING' ? true : undefined), { what: 'the session to notice the drop' });
      await eventually(async () => ((await sessionStatus(alice, 'alice-main')) === 'WORKING' ? true : undefined), { timeoutMs: 20_000, what: 'recovery' });
    });
  });
}
