// Contract: the 8 session actions and the 7 server actions (api-compat §1.3 rows 1-8 and 71-77) exactly as the
// WARest n8n node sends them: one credential (base URL, trailing `/` stripped, and an API key sent as both
// X-WAREST-API-KEY and a Bearer token), query strings for GET, a JSON body for POST and DELETE, `sessionId` as a
// URI-encoded path param for updateConfig, empty values omitted, the resource's Additional Fields (§1.4) merged
// in. The credential is the admin key, the only one the node's credential test accepts (§9.1); the server actions
// need it. Each answer is the WARest envelope with the result fields of §4.2 and the README (`## Sessions`,
// `## Server`); the node's session picker (§1.6) is run over session/list; restart is recorded by the harness
// (`gw.restarts`) instead of ending the process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, sessionStatus } from '../support/gateway-harness.js';
import { enveloped, hasFields, n8nCall as sendAsNode, type Fields, type N8nAction, type N8nAnswer } from '../support/n8n-node.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// [operation, method, route, fields] as in the node; `{sessionId}` is updateConfig's path param (no body fields).
const SESSION_ACTIONS = [
  ['createSession', 'GET', '/session/create', ['sessionId']],
  ['createPairCode', 'GET', '/session/create/pair-code', ['sessionId', 'phone']],
  ['logout', 'GET', '/session/logout', ['sessionId']],
  ['reconnect', 'GET', '/session/reconnect', ['sessionId']],
  ['devices', 'GET', '/session/devices', ['sessionId']],
  ['listSessions', 'GET', '/session/list', []],
  ['deleteSession', 'DELETE', '/session/delete', ['sessionId']],
  ['updateConfig', 'POST', '/session/{sessionId}/config', []]
] as const satisfies readonly N8nAction[];

const SERVER_ACTIONS = [
  ['ping', 'GET', '/server/ping', []],
  ['info', 'GET', '/server/info', []],
  ['health', 'GET', '/server/healthz', []],
  ['ready', 'GET', '/server/ready', []],
  ['cpuHistory', 'GET', '/server/cpu-history', []],
  ['restart', 'POST', '/server/restart', []],
  ['scheduleRestart', 'POST', '/server/restart/scheduled', ['schedule']]
] as const satisfies readonly N8nAction[];

const ACTIONS = [...SESSION_ACTIONS, ...SERVER_ACTIONS];
type Operation = (typeof ACTIONS)[number][0];

const ALICE = '15557770001';
const BOB = '15557770002';
const QR_SESSION = 'n8n-qr';
const PAIR_SESSION = 'n8n-pair';
const WEBHOOK_SECRET = 'n8n-contract-secret';

/** The node's credential (`warestApi`). */
interface Credentials {
  baseUrl: string;
  apiKey: string;
}

const baseOf = (credentials: Credentials) => credentials.baseUrl.replace(/\/+$/, '');
const nodeHeaders = (apiKey: string) => ({ 'X-WAREST-API-KEY': apiKey, Authorization: `Bearer ${apiKey}`, Accept: 'application/json' });

/** The node's credential test: GET {baseUrl}/api/v1/server/info with both headers; any 2xx passes. */
async function credentialTest(credentials: Credentials): Promise<{ passed: boolean; status: number; body: unknown }> {
  const response = await fetch(`${baseOf(credentials)}/api/v1/server/info`, { headers: nodeHeaders(credentials.apiKey) });
  return { passed: response.ok, status: response.status, body: await response.json() };
}

/** The node's output for an answer (§1.6): `body.results ?? body`; an array gives one item per element. */
function n8nItems(body: any): unknown[] {
  const output = body?.results ?? body;
  return Array.isArray(output) ? output : [output];
}

/** The node's session picker (`searchSessions`, §1.6): session/list flattened, entries with an id; any error → []. */
async function sessionPicker(credentials: Credentials): Promise<{ name: string; value: string; description?: string }[]> {
  try {
    const response = await fetch(`${baseOf(credentials)}/api/v1/session/list`, { headers: nodeHeaders(credentials.apiKey) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = (await response.json()) as any;
    const fromResults = (results: any): any[] =>
      Array.isArray(results)
        ? results.flatMap((element) => (Array.isArray(element?.items) ? element.items : [element]))
        : Array.isArray(results?.items)
          ? results.items
          : [];
    let entries = fromResults(body?.results);
    if (!entries.length && Array.isArray(body?.items)) entries = body.items;
    if (!entries.length) entries = fromResults(body);
    return entries
      .filter((entry) => entry && entry.id)
      .map((entry) => ({
        name: `${entry.id} (${entry.status ?? '-'})`,
        value: String(entry.id),
        description: entry.name ?? entry.pushName ?? entry.me?.name ?? undefined
      }));
  } catch {
    return [];
  }
}

/** A 202 with `results: []` (reconnect): the envelope, and zero n8n items. */
function acceptedWithoutResults(operation: string, answer: N8nAnswer, code: number, message: string): void {
  const where = `${operation}: ${JSON.stringify(answer.body).slice(0, 400)}`;
  assert.equal(answer.status, 202, where);
  assert.deepEqual(answer.body, { status: true, code, message, results: [] }, where);
  assert.equal(n8nItems(answer.body).length, 0, `${operation} gives the node no item`);
}

const CREATE_FIELDS = ['registryUser', 'sessionId', 'webhookUrl', 'webhookSecret'];
const QR_FIELDS = [...CREATE_FIELDS, 'qrString', 'qr', 'qrDuration'];
const LIST_ITEM = ['id', 'status', 'me', 'pushName', 'lastConn'];
const INFO_FIELDS = ['name', 'version', 'startedAt', 'uptimeSeconds', 'node', 'platform', 'pid', 'network', 'database', 'sessions', 'scheduledRestart'];
const CPU_SAMPLE = ['ts', 'cpuPercent', 'cpuPercentOfHost', 'loadAverage', 'rssBytes', 'heapUsedBytes'];

for (const dialect of DIALECTS) {
  describe(`${dialect}: WARest n8n contract, sessions and server`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    const receiver = new WebhookReceiver(WEBHOOK_SECRET);
    const seen = new Set<Operation>();
    // The node's credential: the gateway's URL as a user pastes it (trailing slash) and the admin key.
    const credentials = (): Credentials => ({ baseUrl: `${gw.url}/`, apiKey: gw.key });
    const call = (operation: Operation, values: Fields = {}, extra?: Fields) => {
      seen.add(operation);
      const { baseUrl, apiKey } = credentials();
      return sendAsNode(ACTIONS, baseOf({ baseUrl, apiKey }), apiKey, operation, values, extra ? { extra } : {});
    };
    const working = (sessionId: string) =>
      eventually(async () => ((await sessionStatus(gw, sessionId)) === 'WORKING' ? true : undefined), { timeoutMs: 30_000, what: `${sessionId} WORKING` });

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      // CPU samples every 50 ms, so cpu-history has some to show.
      gw = await TestGateway.start(db, sb, { WAYGATE_CPU_SAMPLE_INTERVAL_MS: '50' });
      await receiver.start();
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: ALICE, name: 'Alice' });
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: BOB, name: 'Bob' });
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await receiver.stop();
      await db.dispose();
    });

    test("the node's credential test passes with the admin key only; a user key still works for sessions", async () => {
      const admin = await credentialTest(credentials());
      assert.equal(admin.passed, true, JSON.stringify(admin.body).slice(0, 300));
      assert.equal(admin.status, 200);

      const userKey = (await gw.request('POST', '/api/v1/keys', { body: { name: 'n8n-user' } })).body.results[0].key as string;
      const user: Credentials = { baseUrl: `${gw.url}/`, apiKey: userKey };
      assert.deepEqual(await credentialTest(user), { passed: false, status: 403, body: { error: 'Admin only' } });
      assert.deepEqual(await credentialTest({ baseUrl: gw.url, apiKey: 'not-a-key' }), { passed: false, status: 401, body: { error: 'Invalid X-WAREST-API-KEY' } });

      // The same user key lists its (no) sessions; the picker then offers nothing, and a bad key gives it an empty list.
      const list = enveloped('listSessions', await sendAsNode(ACTIONS, gw.url, userKey, 'listSessions', {}), 200, 1000, 'OK');
      assert.deepEqual(list.items, []);
      assert.deepEqual(await sessionPicker({ baseUrl: gw.url, apiKey: 'not-a-key' }), []);
      // ping is public: it answers a user key's headers, and no key at all.
      enveloped('ping', await sendAsNode(ACTIONS, gw.url, userKey, 'ping', {}), 200, 1000, 'pong');
      const anonymous = await fetch(`${gw.url}/api/v1/server/ping`);
      enveloped('ping', { status: anonymous.status, body: await anonymous.json() }, 200, 1000, 'pong');
    });

    test('the 8 session actions: QR and pairing-code links, devices, list and picker, config, reconnect, logout, delete', async () => {
      // createSession: the QR flow; the phone scans the QR string the answer carries.
      const created = enveloped('createSession', await call('createSession', { sessionId: QR_SESSION }), 202, 1107, 'Scan the QR to continue');
      hasFields('createSession', created, QR_FIELDS);
      assert.equal(created.sessionId, QR_SESSION);
      assert.match(created.registryUser, /^[A-Z]{10}$/, 'registryUser: the owning key registry');
      assert.match(created.qrString, /^https:\/\/wa\.me\/settings\/linked_devices#/);
      assert.match(created.qr, /^data:image\/png;base64,/);
      assert.ok(created.qrDuration >= 5 && created.qrDuration <= 65, `qrDuration ${created.qrDuration}`);
      assert.deepEqual([created.webhookUrl, created.webhookSecret], [null, null]);
      await sb.ok('POST', `/sandbox/v1/accounts/${ALICE}/link`, { qr: created.qrString });
      await working(QR_SESSION);

      // createPairCode: the pairing-code flow; the phone enters the code.
      const pair = enveloped('createPairCode', await call('createPairCode', { sessionId: PAIR_SESSION, phone: BOB }), 200, 1000, 'Pair code generated');
      hasFields('createPairCode', pair, ['registryUser', 'sessionId', 'pairCode']);
      assert.equal(pair.sessionId, PAIR_SESSION);
      assert.equal(pair.registryUser, created.registryUser);
      assert.match(pair.pairCode, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await sb.ok('POST', `/sandbox/v1/accounts/${BOB}/link`, { pairingCode: pair.pairCode });
      await working(PAIR_SESSION);
      const pairedAgain = enveloped('createPairCode', await call('createPairCode', { sessionId: PAIR_SESSION, phone: BOB }), 200, 1104, 'Session already open');
      assert.deepEqual([pairedAgain.sessionId, pairedAgain.status], [PAIR_SESSION, 'open']);

      // devices: the linked account.
      const devices = enveloped('devices', await call('devices', { sessionId: QR_SESSION }), 200, 1000);
      hasFields('devices', devices, ['name', 'phone', 'device']);
      assert.deepEqual([devices.name, devices.phone], ['Alice', ALICE]);
      assert.equal(typeof devices.device, 'string');

      // listSessions, and the node's session picker over the same route.
      const listed = await call('listSessions');
      const list = enveloped('listSessions', listed, 200, 1000, 'OK');
      assert.equal(n8nItems(listed.body).length, 1, 'the node outputs one item: the list');
      assert.deepEqual(Object.keys(list), ['items']);
      const byId = new Map<string, any>(list.items.map((item: any) => [item.id, item]));
      assert.deepEqual([...byId.keys()].sort(), [QR_SESSION, PAIR_SESSION].sort());
      for (const item of list.items) hasFields('listSessions item', item, LIST_ITEM);
      const alice = byId.get(QR_SESSION);
      assert.equal(alice.status, 'WORKING');
      assert.match(alice.me.id, new RegExp(`^${ALICE}(:\\d+)?@s\\.whatsapp\\.net$`));
      assert.match(alice.me.lid, /@lid$/);
      assert.equal(alice.pushName, 'Alice');
      assert.equal(typeof alice.lastConn, 'number');
      const options = await sessionPicker(credentials());
      assert.deepEqual(options.map((o) => o.value).sort(), [QR_SESSION, PAIR_SESSION].sort());
      assert.deepEqual(
        options.find((o) => o.value === QR_SESSION),
        { name: `${QR_SESSION} (WORKING)`, value: QR_SESSION, description: 'Alice' }
      );
      assert.equal(options.find((o) => o.value === PAIR_SESSION)?.description, 'Bob');

      // updateConfig (Additional Fields webhookUrl, webhookSecret, preflight): a preflight the receiver refuses
      // is a 400 and saves nothing …
      receiver.failWith = 503;
      const refused = await call('updateConfig', { sessionId: QR_SESSION }, { webhookUrl: receiver.url, webhookSecret: WEBHOOK_SECRET, preflight: true });
      receiver.failWith = undefined;
      enveloped('updateConfig', refused, 400, 2000);
      assert.match(refused.body.message, /^Webhook preflight failed/);
      const open = enveloped('createSession', await call('createSession', { sessionId: QR_SESSION }), 200, 1104, 'Session already open');
      hasFields('createSession (open)', open, [...CREATE_FIELDS, 'createdAt']);
      assert.deepEqual([open.sessionId, open.status, open.webhookUrl, open.webhookSecret], [QR_SESSION, 'open', null, null]);

      // … one it accepts saves the URL and secret; the preflight arrived signed with that secret.
      const config = enveloped('updateConfig', await call('updateConfig', { sessionId: QR_SESSION }, { webhookUrl: receiver.url, webhookSecret: WEBHOOK_SECRET, preflight: true }), 200, 1000);
      hasFields('updateConfig', config, CREATE_FIELDS);
      assert.deepEqual([config.registryUser, config.sessionId, config.webhookUrl, config.webhookSecret], [created.registryUser, QR_SESSION, receiver.url, WEBHOOK_SECRET]);
      const preflight = receiver.deliveries.find((d) => d.headers['x-warest-preflight'] === '1');
      assert.ok(preflight, 'the receiver got the preflight');
      assert.equal(preflight.signatureValid, true);
      assert.equal(preflight.headers['x-warest-session'], QR_SESSION);
      const saved = enveloped('createSession', await call('createSession', { sessionId: QR_SESSION }), 200, 1104);
      assert.deepEqual([saved.webhookUrl, saved.webhookSecret], [receiver.url, WEBHOOK_SECRET]);
      // A URL without a secret gets a generated one (8-15 characters).
      const generated = enveloped('updateConfig', await call('updateConfig', { sessionId: PAIR_SESSION }, { webhookUrl: receiver.url, webhookSecret: '' }), 200, 1000);
      assert.equal(generated.webhookUrl, receiver.url);
      assert.match(generated.webhookSecret, /^\S{8,15}$/);

      // reconnect: 202 SESSION_RECONNECT_SCHEDULED with `results: []`, so the node outputs no item; it comes back.
      acceptedWithoutResults('reconnect', await call('reconnect', { sessionId: QR_SESSION }), 1109, 'Reconnect scheduled');
      await working(QR_SESSION);
      assert.equal(enveloped('devices', await call('devices', { sessionId: QR_SESSION }), 200, 1000).phone, ALICE);

      // logout: the device is unlinked at the phone and the auth state purged.
      const out = enveloped('logout', await call('logout', { sessionId: PAIR_SESSION }), 200, 1000, 'Logout success');
      assert.deepEqual(out, { sessionId: PAIR_SESSION, steps: { runtime: true, creds: true } });
      const bob = await sb.ok('GET', `/sandbox/v1/accounts/${BOB}`);
      assert.deepEqual(bob.devices.map((d: { id: number }) => d.id), [0]);
      assert.equal(await sessionStatus(gw, PAIR_SESSION), 'LOGGED_OUT');

      // deleteSession: DELETE with a JSON body; afterwards the session is unknown and gone from the picker.
      const deleted = enveloped('deleteSession', await call('deleteSession', { sessionId: PAIR_SESSION }), 200, 1000, 'Session deleted');
      assert.equal(deleted.sessionId, PAIR_SESSION);
      hasFields('deleteSession steps', deleted.steps, ['runtime', 'creds', 'meta']);
      assert.equal(deleted.steps.meta, true);
      enveloped('devices', await call('devices', { sessionId: PAIR_SESSION }), 404, 1101);
      assert.deepEqual((await sessionPicker(credentials())).map((o) => o.value), [QR_SESSION]);
    });

    test('the 7 server actions: ping, info, health, ready, cpu history, restart (recorded, not exiting), daily restart', async () => {
      const ping = enveloped('ping', await call('ping'), 200, 1000, 'pong');
      assert.equal(ping.pong, true);
      assert.equal(typeof ping.ts, 'number');

      const info = enveloped('info', await call('info'), 200, 1000, 'Server info');
      hasFields('info', info, INFO_FIELDS);
      assert.equal(info.name, 'waygate');
      assert.equal(typeof info.version, 'string');
      assert.equal(typeof info.uptimeSeconds, 'number');
      assert.deepEqual([info.network, info.database], ['sandbox', { dialect }]);
      assert.equal(info.sessions.WORKING, 1, `sessions by state: ${JSON.stringify(info.sessions)}`);
      assert.equal(info.scheduledRestart, null);

      const health = enveloped('health', await call('health'), 200, 1000);
      assert.equal(health.status, 'ok');
      assert.equal(typeof health.uptimeSeconds, 'number');

      assert.deepEqual(enveloped('ready', await call('ready'), 200, 1000, 'Ready'), { database: 'ok', sessionsRestored: true });

      const history = await eventually(
        async () => {
          const result = enveloped('cpuHistory', await call('cpuHistory'), 200, 1000, 'CPU history');
          return result.samples.length > 0 ? result : undefined;
        },
        { what: 'a CPU sample' }
      );
      hasFields('cpuHistory', history, ['intervalMs', 'capacity', 'cores', 'samples']);
      assert.equal(history.intervalMs, 50);
      hasFields('cpuHistory sample', history.samples.at(-1), CPU_SAMPLE);
      assert.equal(history.samples.at(-1).loadAverage.length, 3);

      // restart: the node sends `{}` (no Additional Fields) or its `reason` and `delayMs`; the harness records the
      // request instead of restarting, and the process answers on.
      const restarts = gw.restarts.length;
      const plain = enveloped('restart', await call('restart'), 202, 1001, 'Restart in 4 s');
      hasFields('restart', plain, ['reason', 'delaySeconds', 'restartAt']);
      assert.equal(plain.delaySeconds, 4);
      assert.ok(!Number.isNaN(Date.parse(plain.restartAt)));
      const withFields = enveloped('restart', await call('restart', {}, { reason: 'n8n deploy', delayMs: 2500 }), 202, 1001);
      assert.equal(withFields.reason, 'n8n deploy');
      // Waygate honours delayMs when delaySeconds is absent (WARest ignores it, api-compat §9.6).
      assert.equal(withFields.delaySeconds, 3);
      assert.deepEqual(gw.restarts.slice(restarts), [
        { reason: plain.reason, delaySeconds: 4 },
        { reason: 'n8n deploy', delaySeconds: 3 }
      ]);
      enveloped('ping', await call('ping'), 200, 1000, 'pong');

      // scheduleRestart: "HH:MM" with the timezone Additional Field, shown in info, persisted across a restart …
      const scheduled = enveloped('scheduleRestart', await call('scheduleRestart', { schedule: '03:30' }, { timezone: 'Asia/Jakarta' }), 200, 1000, 'Daily restart scheduled at 03:30 (Asia/Jakarta)');
      hasFields('scheduleRestart', scheduled, ['schedule', 'timezone', 'nextRunAt']);
      assert.deepEqual([scheduled.schedule, scheduled.timezone], ['03:30', 'Asia/Jakarta']);
      const next = new Date(scheduled.nextRunAt);
      assert.deepEqual([(next.getUTCHours() + 7) % 24, next.getUTCMinutes()], [3, 30], '03:30 in Jakarta (UTC+7)');
      assert.deepEqual(enveloped('info', await call('info'), 200, 1000).scheduledRestart, { time: '03:30', timeZone: 'Asia/Jakarta', nextRunAt: scheduled.nextRunAt });
      await gw.restart();
      assert.equal(enveloped('info', await call('info'), 200, 1000).scheduledRestart?.time, '03:30', 'the schedule survives a restart');

      // … and `0` cancels it.
      const cancelled = enveloped('scheduleRestart', await call('scheduleRestart', { schedule: '0' }), 200, 1000, 'Daily restart cancelled');
      assert.deepEqual(cancelled, { schedule: null, timezone: null, nextRunAt: null });
      assert.equal(enveloped('info', await call('info'), 200, 1000).scheduledRestart, null);
      enveloped('scheduleRestart', await call('scheduleRestart', { schedule: '25:00' }), 400, 2002);

      assert.deepEqual([...seen].sort(), ACTIONS.map(([op]) => op).sort(), 'every session and server action was sent');
    });
  });
}
