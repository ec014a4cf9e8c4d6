import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import type { RunningSandbox } from './index.js';
import { control, linkedClient, useSandbox } from '../../test/support/sandbox-fixture.js';
import { RawClient } from '../../test/support/raw-client.js';

const fixture = useSandbox();
let sb: RunningSandbox;
before(async () => ({ sb } = await fixture.ready));

test('pairing-code linking: the phone enters the code the device shows', async () => {
  await control(sb, 'POST', '/sandbox/v1/accounts', { phone: '15550002001', name: 'Coder' });
  const client = new RawClient(sb.wsUrl);
  const sock = client.start();
  await client.waitForQr();
  const code = await sock.requestPairingCode('15550002001');
  assert.match(code, /^[1-9A-HJ-NP-Z]{8}$/);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const linked = await control(sb, 'POST', '/sandbox/v1/accounts/15550002001/link', { pairingCode: `${code.slice(0, 4)}-${code.slice(4)}` });
  assert.equal(linked.status, 200, JSON.stringify(linked.body));
  assert.equal(linked.body.deviceJid, '15550002001:1@s.whatsapp.net');
  await client.waitForOpen();
  assert.equal(client.creds.me?.id, '15550002001:1@s.whatsapp.net');
  client.stop();
});

test('a wrong pairing code is refused and links nothing', async () => {
  await control(sb, 'POST', '/sandbox/v1/accounts', { phone: '15550002002', name: 'Typo' });
  const client = new RawClient(sb.wsUrl);
  const sock = client.start();
  await client.waitForQr();
  const code = await sock.requestPairingCode('15550002002');
  const wrong = code.startsWith('A') ? `B${code.slice(1)}` : `A${code.slice(1)}`;
  await new Promise((resolve) => setTimeout(resolve, 50));
  const linked = await control(sb, 'POST', '/sandbox/v1/accounts/15550002002/link', { pairingCode: wrong });
  assert.equal(linked.status, 400);
  assert.match(linked.body.error, /wrong pairing code/);
  const account = await control(sb, 'GET', '/sandbox/v1/accounts/15550002002');
  assert.equal(account.body.devices.length, 1, 'only the phone');
  client.stop();
});

test('unlinking from the phone logs the device out with 401; saved creds are refused; re-pairing works', async () => {
  const client = await linkedClient(sb, '15550002003', 'Unlinked');
  const closed = client.waitFor('connection.update', (u) => u.connection === 'close');
  const removed = await control(sb, 'DELETE', '/sandbox/v1/accounts/15550002003/devices/1');
  assert.equal(removed.status, 200);
  await closed;
  assert.equal(client.lastDisconnect, 401);

  const stale = new RawClient(sb.wsUrl);
  stale.creds = client.creds;
  stale.start();
  await stale.waitFor('connection.update', (u) => u.connection === 'close');
  assert.equal(stale.lastDisconnect, 401, 'a removed device is answered with failure 401');
  stale.stop();

  const again = await linkedClient(sb, '15550002003');
  assert.equal(again.creds.me?.id, '15550002003:2@s.whatsapp.net');
  again.stop();
});

test('logging out from the client removes the device at the phone', async () => {
  const client = await linkedClient(sb, '15550002004', 'Leaver');
  await client.sock!.logout();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const account = await control(sb, 'GET', '/sandbox/v1/accounts/15550002004');
  assert.deepEqual(account.body.devices.map((d: { id: number }) => d.id), [0]);
});

test('garbage from a client closes only that connection; the sandbox keeps serving', async () => {
  const ws = new WebSocket(sb.wsUrl);
  await new Promise((resolve) => ws.once('open', resolve));
  const closed = new Promise((resolve) => ws.once('close', resolve));
  ws.send(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  await closed;
  const client = await linkedClient(sb, '15550002005', 'Still fine');
  assert.ok(client.creds.me);
  client.stop();
});

test('control API: bad requests get 4xx with a message saying what to fix', async () => {
  const badPhone = await control(sb, 'POST', '/sandbox/v1/accounts', { phone: 'abc' });
  assert.equal(badPhone.status, 400);
  assert.match(badPhone.body.error, /phone/);
  const unknown = await control(sb, 'POST', '/sandbox/v1/accounts/19999999999/link', { qr: 'x'.repeat(20) });
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error, /no account/);
  await control(sb, 'POST', '/sandbox/v1/accounts', { phone: '15550002006' });
  const dup = await control(sb, 'POST', '/sandbox/v1/accounts', { phone: '15550002006' });
  assert.equal(dup.status, 409);
  const staleQr = await control(sb, 'POST', '/sandbox/v1/accounts/15550002006/link', { qr: 'https://wa.me/settings/linked_devices#2@nope,AAAA,BBBB,CCCC,1' });
  assert.equal(staleQr.status, 404);
  assert.match(staleQr.body.error, /no device is showing this QR/);
  const neither = await control(sb, 'POST', '/sandbox/v1/accounts/15550002006/link', {});
  assert.equal(neither.status, 400);
  const fault = await control(sb, 'POST', '/sandbox/v1/faults', { type: 'explode' });
  assert.equal(fault.status, 400);
  const askedForNothing = await control(sb, 'POST', '/sandbox/v1/faults', { type: 'ask-again', phone: '15550002006', messageId: '3EB0NEVERSENT' });
  assert.equal(askedForNothing.status, 404);
  assert.match(askedForNothing.body.error, /has not received a message 3EB0NEVERSENT/);
  assert.equal((await control(sb, 'POST', '/sandbox/v1/faults', { type: 'ask-again', phone: '15550002006' })).status, 400);
  const noRoute = await control(sb, 'GET', '/sandbox/v1/nothing');
  assert.equal(noRoute.status, 404);
});

test('refusing connections for a while: a client reconnecting in that window is turned away, later it gets in', async () => {
  const client = await linkedClient(sb, '15550002007', 'Flaky');
  const creds = client.creds;
  client.stop();
  assert.equal((await control(sb, 'POST', '/sandbox/v1/faults', { type: 'refuse', seconds: 1 })).status, 200);
  const refused = new RawClient(sb.wsUrl);
  refused.creds = creds;
  refused.start();
  await refused.waitFor('connection.update', (u) => u.connection === 'close');
  refused.stop();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const later = new RawClient(sb.wsUrl);
  later.creds = creds;
  later.start();
  await later.waitForOpen();
  later.stop();
});

test('the stanza recorder shows the exchange for one device', async () => {
  const client = await linkedClient(sb, '15550002008', 'Recorded');
  const recorded = await control(sb, 'GET', `/sandbox/v1/stanzas?device=${encodeURIComponent('15550002008:1@s.whatsapp.net')}`);
  const tags = recorded.body.stanzas.map((s: { direction: string; stanza: { tag: string } }) => `${s.direction}:${s.stanza.tag}`);
  assert.ok(tags.includes('out:success'), tags.join(','));
  assert.ok(tags.includes('in:iq'));
  client.stop();
});
