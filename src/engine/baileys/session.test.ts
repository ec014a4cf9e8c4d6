// End to end against an in-process sandbox: linking by QR and by pairing code, restarts from stored auth,
// unlinking, logout, reconnecting after network trouble, replaced connections, QR exhaustion, and commands
// issued before the session works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineNotConnectedError, EngineStateError } from '../errors.js';
import { EngineSandbox, SessionProbe } from '../testing/engine-sandbox.js';
import { MemoryAuthStore } from '../testing/memory-auth-store.js';

let net: EngineSandbox;
before(async () => {
  net = await EngineSandbox.start();
});
after(async () => {
  await net.stop();
});

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function linkedDevice(phone: string): Promise<number> {
  const account = await net.ok<{ devices: { id: number; primary: boolean }[] }>('GET', `/sandbox/v1/accounts/${phone}`);
  const companions = account.devices.filter((d) => !d.primary);
  return companions[companions.length - 1]!.id;
}

test('links by QR: SCAN_QR_CODE with the QR, the 515 restart, then WORKING as the account', async () => {
  const ids = await net.account('15550000001');
  const store = new MemoryAuthStore();
  const session = net.session(store);
  const probe = new SessionProbe(session);
  await session.start();
  const scan = await probe.status('SCAN_QR_CODE');
  assert.match(scan.qr, /^https:\/\/wa\.me\/settings\/linked_devices#/);
  assert.equal(scan.expiresInMs, 60_000);
  assert.deepEqual(await probe.waitFor('qr'), { qr: scan.qr, expiresInMs: 60_000 });
  await net.ok('POST', '/sandbox/v1/accounts/15550000001/link', { qr: scan.qr });
  const working = await probe.status('WORKING');
  assert.deepEqual(working.me, { id: ids.jid, lid: ids.lid, name: working.me.name });
  assert.deepEqual(session.me, working.me);
  assert.equal(session.status, 'WORKING');
  const statuses = probe.all('status').map((s) => s.status);
  assert.deepEqual(statuses, ['STARTING', 'SCAN_QR_CODE', 'STARTING', 'WORKING'], 'one restart (515) after pairing');
  assert.ok(store.creds && store.keys.size > 0, 'creds and keys are stored');
  await session.stop();
  assert.equal(session.status, 'STOPPED');
});

test('restarts from the stored auth state without a new QR', async () => {
  const { session, store } = await net.linked('15550000002');
  const me = session.me;
  await session.stop();
  const again = net.session(store);
  const probe = new SessionProbe(again);
  await again.start();
  await probe.status('WORKING');
  assert.deepEqual(again.me, me);
  assert.equal(probe.all('qr').length, 0);
  await again.stop();
});

test('links by pairing code', async () => {
  const ids = await net.account('15550000003');
  const session = net.session();
  const probe = new SessionProbe(session);
  const code = await session.requestPairingCode('+1 555 000 0003');
  assert.match(code, /^[1-9A-HJ-NP-TV-Z]{8}$/);
  assert.deepEqual(await probe.waitFor('pairing_code'), { phone: '15550000003', code });
  await net.ok('POST', '/sandbox/v1/accounts/15550000003/link', { pairingCode: code });
  const working = await probe.status('WORKING');
  assert.equal(working.me.id, ids.jid);
  assert.equal(working.me.lid, ids.lid);
  await assert.rejects(session.requestPairingCode('15550000003'), EngineStateError);
  await session.stop();
});

test('a device unlinked from the phone is LOGGED_OUT, its auth purged, and it does not reconnect', async () => {
  const { session, probe, store } = await net.linked('15550000004');
  const from = probe.mark();
  await net.ok('DELETE', `/sandbox/v1/accounts/15550000004/devices/${await linkedDevice('15550000004')}`);
  const out = await probe.status('LOGGED_OUT', { from });
  assert.equal(out.reason, 'device removed from the phone');
  assert.ok(store.empty);
  assert.equal(session.me, null);
  await settle(1_000);
  assert.deepEqual(probe.all('status', from).map((s) => s.status), ['LOGGED_OUT']);
  assert.equal(probe.all('qr', from).length, 0);
});

test('logout() unlinks at WhatsApp and purges the auth state', async () => {
  const { session, store } = await net.linked('15550000005');
  const before = await net.ok<{ devices: unknown[] }>('GET', '/sandbox/v1/accounts/15550000005');
  await session.logout();
  assert.equal(session.status, 'LOGGED_OUT');
  assert.ok(store.empty);
  const afterLogout = await net.ok<{ devices: unknown[] }>('GET', '/sandbox/v1/accounts/15550000005');
  assert.equal(afterLogout.devices.length, before.devices.length - 1, 'the companion is gone at WhatsApp');
});

test('reconnects with backoff while the network refuses, then works again by itself', async () => {
  const { session, probe } = await net.linked('15550000006');
  const device = await linkedDevice('15550000006');
  const from = probe.mark();
  await net.ok('POST', '/sandbox/v1/faults', { type: 'refuse', seconds: 2 });
  await net.ok('POST', '/sandbox/v1/faults', { type: 'drop', device: `15550000006:${device}@s.whatsapp.net` });
  await probe.status('WORKING', { from, timeoutMs: 20_000 });
  const retries = probe.all('status', from).filter((s) => s.status === 'RECONNECTING');
  assert.ok(retries.length >= 2, `several attempts while refused (saw ${retries.length})`);
  assert.deepEqual(
    retries.map((r) => r.attempt),
    retries.map((_, i) => i + 1),
    'attempts are counted'
  );
  assert.ok(retries.every((r) => r.delayMs >= 100 && r.delayMs <= 2_000), 'delays stay within base/2 and max');
  assert.equal(probe.all('qr', from).length, 0);
  await session.stop();
});

test('a connection replaced by another client FAILS without a reconnect loop', async () => {
  const { session, probe, store } = await net.linked('15550000007');
  const from = probe.mark();
  const twin = net.session(store);
  await twin.start();
  const failed = await probe.status('FAILED', { from });
  assert.equal(failed.disconnect?.code, 440);
  await settle(1_000);
  assert.deepEqual(probe.all('status', from).map((s) => s.status), ['FAILED']);
  await twin.stop();
  await session.stop();
  assert.equal(session.status, 'FAILED', 'stop() keeps the reason a session ended');
});

test('gives up with FAILED "qr timeout" when no QR is scanned', async () => {
  const session = net.session(new MemoryAuthStore(), { qrTimeoutMs: 50, maxQrCycles: 2 });
  const probe = new SessionProbe(session);
  await session.start();
  const failed = await probe.status('FAILED');
  assert.equal(failed.reason, 'qr timeout');
  assert.equal(probe.all('qr').length, 12, 'two sockets, six QR refs each');
  assert.ok(probe.all('qr').every((q) => q.expiresInMs === 50));
});

test('commands before WORKING reject with EngineNotConnectedError', async () => {
  const session = net.session();
  await assert.rejects(session.messages.send('15550000001', { type: 'text', text: 'hi' }, { id: session.messages.newMessageId() }), EngineNotConnectedError);
  await assert.rejects(session.groups.list(), EngineNotConnectedError);
  const probe = new SessionProbe(session);
  await session.start();
  await probe.status('SCAN_QR_CODE');
  await assert.rejects(session.contacts.onWhatsApp(['15550000001']), (error: unknown) => error instanceof EngineNotConnectedError && error.status === 'SCAN_QR_CODE');
  await session.stop();
});

test('a pairing code is issued again on each fresh registration socket, from fresh creds', async () => {
  const store = new MemoryAuthStore();
  const session = net.session(store, { qrTimeoutMs: 50, maxQrCycles: 2 });
  const probe = new SessionProbe(session);
  const first = await session.requestPairingCode('15550000008');
  const failed = await probe.status('FAILED');
  assert.equal(failed.reason, 'qr timeout');
  const codes = probe.all('pairing_code').map((p) => p.code);
  assert.equal(codes.length, 2, 'one code per registration socket');
  assert.equal(codes[0], first);
  assert.notEqual(codes[1], first);
  assert.ok(store.purges >= 1, 'the half-registered creds were replaced');
  assert.ok(!probe.all('status').some((s) => s.status === 'LOGGED_OUT'), 'no login attempt with half-registered creds');
});
