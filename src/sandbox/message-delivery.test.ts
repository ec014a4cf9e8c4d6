import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { proto } from 'baileys';
import type { RunningSandbox } from './index.js';
import { control, eventually, phoneMessage, upsertOf, useSandbox } from '../../test/support/sandbox-fixture.js';
import type { RawClient } from '../../test/support/raw-client.js';

const ALICE = '15550303001';
const BOB = '15550303002';
const DAVE = '15550303004';
const ERIN = '15550303005';

const fixture = useSandbox({ accounts: { [BOB]: 'Bob' }, linked: [[ALICE, 'Alice'], [DAVE, 'Dave'], [DAVE, 'Dave'], [ERIN, 'Erin']] });
let sb: RunningSandbox;
let alice: RawClient;
let dave1: RawClient;
let dave2: RawClient;
let erin: RawClient;
before(async () => ({ sb, clients: [alice, dave1, dave2, erin] } = await fixture.ready));

/** The upsert of text message `id`, past any placeholder for it that could not be decrypted yet. */
const textUpsertOf = (client: RawClient, id: string) => upsertOf(client, id, (m) => !!m.message?.extendedTextMessage);

/** How many one-time pre-keys the server holds for the client's device, asked as Baileys asks (`encrypt` count). */
async function preKeyCount(client: RawClient): Promise<number> {
  const answer = await client.sock!.query({ tag: 'iq', attrs: { xmlns: 'encrypt', type: 'get', to: 's.whatsapp.net' }, content: [{ tag: 'count', attrs: {} }] });
  return Number((answer.content as { tag: string; attrs: Record<string, string> }[]).find((c) => c.tag === 'count')!.attrs.value);
}

test("a first message to a companion takes one of the pre-keys it uploaded, and the companion decrypts it", async () => {
  const before = await preKeyCount(erin);
  assert.ok(before > 100, `Baileys uploads its pre-keys at link; the server holds ${before}`);
  const sent = await alice.sock!.sendMessage(`${ERIN}@s.whatsapp.net`, { text: 'our first words' });
  const { message } = await textUpsertOf(erin, sent!.key.id!);
  assert.equal(message.message?.extendedTextMessage?.text, 'our first words');
  assert.equal(await preKeyCount(erin), before - 1);
});

test('a pre-key upload with a key that is no Curve25519 public key is refused and keeps none of its keys', async () => {
  const before = await preKeyCount(erin);
  const key = (id: number, bytes: number) => ({
    tag: 'key',
    attrs: {},
    content: [
      { tag: 'id', attrs: {}, content: Buffer.from([0, 0x10, id]) },
      { tag: 'value', attrs: {}, content: Buffer.alloc(bytes, 7) }
    ]
  });
  const upload = (bytes: number) =>
    erin.sock!.query({
      tag: 'iq',
      attrs: { xmlns: 'encrypt', type: 'set', to: 's.whatsapp.net' },
      content: [
        { tag: 'registration', attrs: {}, content: Buffer.alloc(4) },
        { tag: 'list', attrs: {}, content: [key(1, 32), key(2, bytes)] }
      ]
    });
  for (const bytes of [34, 0]) await assert.rejects(upload(bytes), (error: any) => error?.data === 400 && error.message === 'bad-request');
  assert.equal(await preKeyCount(erin), before);
});

test('a LID-addressed message to an account with a phone and two companions reaches all three devices', async () => {
  const dave = sb.network.accounts.get(DAVE)!;
  const aliceAccount = sb.network.accounts.get(ALICE)!;
  const sent = await alice.sock!.sendMessage(dave.lidJid, { text: 'to every device' });
  const id = sent!.key.id!;
  for (const client of [dave1, dave2]) {
    const { message } = await textUpsertOf(client, id);
    assert.equal(message.message?.extendedTextMessage?.text, 'to every device');
    assert.equal(message.key.remoteJid, aliceAccount.lidJid);
    assert.equal(message.key.remoteJidAlt, aliceAccount.pnJid);
  }
  const atPhone = await phoneMessage(sb, DAVE, (m) => m.id === id, 'the text at the phone');
  assert.equal(atPhone.from, aliceAccount.lidJid);
  await alice.waitForStatus(id, proto.WebMessageInfo.Status.DELIVERY_ACK);
});

test("a companion's read receipt reaches the sender and marks the chat read on the reader's other companion", async () => {
  const sent = await alice.sock!.sendMessage(`${DAVE}@s.whatsapp.net`, { text: 'please read' });
  const id = sent!.key.id!;
  const { message } = await textUpsertOf(dave1, id);
  await textUpsertOf(dave2, id);
  await dave1.sock!.readMessages([message.key]);
  await alice.waitForStatus(id, proto.WebMessageInfo.Status.READ);
  await dave2.waitFor('messages.update', (updates) =>
    updates.some((u) => u.key.id === id && u.key.fromMe === false && u.update.status === proto.WebMessageInfo.Status.READ)
  );
});

test("a companion's message reaches its account's other companion as a device-sent copy", async () => {
  const sent = await dave1.sock!.sendMessage(`${BOB}@s.whatsapp.net`, { text: 'from my laptop' });
  const { message } = await textUpsertOf(dave2, sent!.key.id!);
  assert.equal(message.key.fromMe, true);
  assert.equal(message.key.remoteJid, `${BOB}@s.whatsapp.net`);
  const atBob = await phoneMessage(sb, BOB, (m) => m.id === sent!.key.id, 'the text at Bob');
  assert.equal(atBob.from, `${DAVE}@s.whatsapp.net`);
});

test('a PN-addressed message from a simulated phone reaches every device, with the LID as alternate', async () => {
  const bob = sb.network.accounts.get(BOB)!;
  const sent = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: DAVE, text: 'hi all of you' });
  for (const client of [dave1, dave2]) {
    const { message } = await textUpsertOf(client, sent.body.id);
    assert.equal(message.key.remoteJid, bob.pnJid);
    assert.equal(message.key.remoteJidAlt, bob.lidJid);
  }
});

test('a message to an offline companion is queued and arrives on its next login before the offline marker', async () => {
  const dave = sb.network.accounts.get(DAVE)!;
  const companion = dave.activeCompanion(2)!;
  dave2.stop();
  await eventually(() => !sb.network.connectionOf(companion), 'the companion to go offline');
  const sent = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: DAVE, text: 'while you were away' });
  await textUpsertOf(dave1, sent.body.id);
  assert.equal(companion.offline.length > 0, true);
  dave2.start();
  const { type, message } = await textUpsertOf(dave2, sent.body.id);
  assert.equal(type, 'append');
  assert.equal(message.message?.extendedTextMessage?.text, 'while you were away');
  await dave2.waitFor('connection.update', (u) => u.receivedPendingNotifications === true && u.connection !== 'connecting');
  assert.equal(companion.offline.length, 0);
});

test('a client that cannot decrypt asks the simulated phone to resend, which re-encrypts with a fresh session', async () => {
  const bob = sb.network.accounts.get(BOB)!;
  const first = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'session start' });
  await textUpsertOf(alice, first.body.id);
  // Alice loses her session with Bob's phone: the phone's next `msg` cannot be decrypted.
  await alice.keys.set({ session: { [`${bob.lidUser}_1.0`]: null } });
  const second = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'after the loss' });
  await upsertOf(alice, second.body.id, (m) => m.messageStubType === 2);
  const { message } = await textUpsertOf(alice, second.body.id);
  assert.equal(message.message?.extendedTextMessage?.text, 'after the loss');
});
