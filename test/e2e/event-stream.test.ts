// The live event stream (GET /api/v1/events/stream, Server-Sent Events) against the real gateway and sandbox,
// on SQLite and PostgreSQL: events arrive in the log's order in the webhook's shape, a user key sees only its
// sessions, filters work, and a client that reconnects with Last-Event-ID gets exactly what it missed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, sessionStatus } from '../support/gateway-harness.js';
import { SseClient, type SseEvent } from '../support/sse-client.js';

const PHONE = '15556660001';

for (const dialect of DIALECTS) {
  describe(`${dialect}: live event stream`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let alice: ApiClient;
    let bob: ApiClient;
    const streams: SseClient[] = [];

    const stream = async (client: ApiClient, query = '', headers: Record<string, string> = {}) => {
      const opened = await SseClient.connect(`${gw.url}/api/v1/events/stream${query}`, { 'x-warest-api-key': client.key, ...headers });
      streams.push(opened);
      return opened;
    };
    const idsOf = (events: SseEvent[], sessionId: string) => events.filter((e) => e.data.session.id === sessionId).map((e) => e.id);

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      const keyFor = async (name: string) => new ApiClient(gw.url, (await gw.request('POST', '/api/v1/keys', { body: { name } })).body.results[0].key);
      alice = await keyFor('alice');
      bob = await keyFor('bob');
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: PHONE, name: 'Stream Phone' });
    });
    after(async () => {
      for (const s of streams) s.close();
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test('refuses what it cannot serve with a clear 4xx', async () => {
      assert.equal((await SseClient.connect(`${gw.url}/api/v1/events/stream`, {})).status, 401);
      await alice.request('GET', '/api/v1/session/create?sessionId=guarded');
      const foreign = await stream(bob, '?sessionId=guarded');
      assert.equal(foreign.status, 403);
      const unknownEvent = await stream(alice, '?events=session.status,not.an.event');
      assert.equal(unknownEvent.status, 400);
      assert.equal(unknownEvent.errorBody.code, 2002);
      assert.match(unknownEvent.errorBody.message, /not\.an\.event/);
      const unknownId = await stream(alice, '', { 'last-event-id': '00000000-0000-8000-8000-000000000000' });
      assert.equal(unknownId.status, 400);
      assert.match(unknownId.errorBody.message, /Last-Event-ID/);
    });

    test('events arrive in order, only to who may see them, and a reconnect with Last-Event-ID misses nothing', async () => {
      const admin = await stream(gw);
      const mine = await stream(alice);
      const onlyGroups = await stream(alice, '?events=group_update');

      assert.equal((await alice.request('GET', '/api/v1/session/create?sessionId=alices')).status, 202);
      assert.equal((await bob.request('GET', '/api/v1/session/create?sessionId=bobs')).status, 202);
      const firstSeen = await mine.waitFor((e) => e.data.session.id === 'alices' && e.data.data.state === 'SCAN_QR_CODE', 'alice sees her QR status');
      assert.equal(firstSeen.event, 'session_status');
      assert.equal(firstSeen.data.event, 'session_status');
      assert.equal(firstSeen.data.session.username, 'alice');
      assert.equal(firstSeen.data.data.sessionId, 'alices');
      assert.equal(typeof firstSeen.data.ts, 'number');
      await admin.waitFor((e) => e.data.session.id === 'bobs' && e.data.data.state === 'SCAN_QR_CODE', 'the admin sees bob too');
      const bobsOnly = await stream(gw, '?sessionId=bobs');
      assert.equal(bobsOnly.status, 200);

      // Alice drops off after what she has; her session is linked while she is away.
      mine.close();
      const seenBefore = mine.events.slice();
      const created = await alice.request('GET', '/api/v1/session/create?sessionId=alices');
      await sb.ok('POST', `/sandbox/v1/accounts/${PHONE}/link`, { qr: created.body.results[0].qrString });
      await eventually(async () => ((await sessionStatus(alice, 'alices')) === 'WORKING' ? true : undefined), { what: 'alices WORKING' });

      const resumed = await stream(alice, '', { 'last-event-id': seenBefore.at(-1)!.id });
      const all = await logged(alice, 'alices');
      await resumed.waitFor((e) => e.id === all.at(-1), 'the resumed stream catches up');
      assert.deepEqual(idsOf([...seenBefore, ...resumed.events], 'alices'), all, 'what she saw plus the resume is the log, in order, without a duplicate');
      assert.ok(resumed.events.some((e) => e.data.data.state === 'WORKING'));

      assert.equal((await bob.request('GET', '/api/v1/session/logout?sessionId=bobs')).status, 200);
      const bobs = await logged(gw, 'bobs');
      await bobsOnly.waitFor((e) => e.id === bobs.at(-1), 'the session-filtered stream sees the logout');
      await admin.waitFor((e) => e.id === bobs.at(-1), 'the admin stream catches up');
      assert.deepEqual(idsOf(admin.events, 'alices'), all, 'the admin stream is in log order');
      assert.deepEqual(idsOf(admin.events, 'bobs'), bobs);
      assert.deepEqual(seenBefore.concat(resumed.events).filter((e) => !['alices', 'guarded'].includes(e.data.session.id)), [], 'alice sees her sessions only');
      assert.deepEqual(new Set(bobsOnly.events.map((e) => e.data.session.id)), new Set(['bobs']));
      assert.deepEqual(onlyGroups.events, [], 'the event filter holds back session_status');
    });

    test("the dashboard's read routes: send queue, delivery log and attempts, each limited to the caller's sessions", async () => {
      const queue = await alice.request('GET', '/api/v1/session/queue?sessionId=alices');
      assert.equal(queue.status, 200, JSON.stringify(queue.body));
      assert.deepEqual(queue.body.results[0], { sessionId: 'alices', queued: 0, sending: 0, sent: 0, failed: 0 });
      assert.equal((await bob.request('GET', '/api/v1/session/queue?sessionId=alices')).status, 403);

      const log = await alice.request('GET', '/api/v1/session/webhooks/log?sessionId=alices&state=failed,dead&event=session_status');
      assert.equal(log.status, 200, JSON.stringify(log.body));
      assert.deepEqual(log.body.results, []);
      const badState = await alice.request('GET', '/api/v1/session/webhooks/log?sessionId=alices&state=lost');
      assert.equal(badState.status, 400);
      assert.match(badState.body.message, /state: unknown lost/);
      assert.equal((await alice.request('GET', '/api/v1/session/webhooks/log?sessionId=alices&event=nope')).status, 400);

      const [ownEvent] = await logged(alice, 'alices');
      const attempts = await alice.request('GET', `/api/v1/session/webhooks/attempts?sessionId=alices&eventId=${ownEvent}`);
      assert.equal(attempts.status, 200, JSON.stringify(attempts.body));
      assert.equal(attempts.body.results[0].event.id, ownEvent);
      assert.equal(attempts.body.results[0].event.body.event, 'session_status');
      assert.deepEqual(attempts.body.results[0].attempts, [], 'no webhook, no attempts');
      const [bobsEvent] = await logged(gw, 'bobs');
      const foreign = await alice.request('GET', `/api/v1/session/webhooks/attempts?sessionId=alices&eventId=${bobsEvent}`);
      assert.equal(foreign.status, 404, "another session's event is not found through this one");
    });
  });
}

/** Every event of a session as the log holds it, oldest first. */
async function logged(api: ApiClient, sessionId: string): Promise<string[]> {
  const recent = await api.request('GET', `/api/v1/events/recent?sessionId=${sessionId}&limit=500`);
  assert.equal(recent.status, 200, JSON.stringify(recent.body));
  return recent.body.results.map((event: { id: string }) => event.id).reverse();
}
