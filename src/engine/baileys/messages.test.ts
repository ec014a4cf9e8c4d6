// Messaging and contact lookups end to end: an engine session (Alice) sends to and receives from simulated
// phones in an in-process sandbox, and sees their receipts and presence.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineInvalidArgumentError } from '../errors.js';
import type { EngineSession } from '../port.js';
import type { EngineSandbox, SessionProbe } from '../testing/engine-sandbox.js';
import { useEngineSandbox } from '../../../test/support/engine-fixture.js';

const ALICE = '15550020001';
const BOB = '15550020002';
const CAROL = '15550020003';

interface PhoneMessage {
  id: string;
  from: string;
  chat: string;
  text?: string;
  fromMe: boolean;
  message: { extendedTextMessage?: { contextInfo?: { stanzaId?: string } } };
}

const fixture = useEngineSandbox({ accounts: [BOB, CAROL], linked: ALICE });
let net: EngineSandbox;
let alice: EngineSession;
let probe: SessionProbe;
before(async () => ({ net, session: alice, probe } = await fixture.ready));
const { ids, person } = fixture;
const inbox = async (phone: string) => (await net.ok<{ messages: PhoneMessage[] }>('GET', `/sandbox/v1/accounts/${phone}/messages`)).messages;
const phoneSends = (phone: string, body: Record<string, unknown>) => net.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${phone}/messages`, body);

async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('onWhatsApp tells which numbers have WhatsApp', async () => {
  assert.deepEqual(await alice.contacts.onWhatsApp([BOB, '+1 555 999 9999'.replace(/ /g, '')]), [
    { input: BOB, jid: ids[BOB]!.jid, exists: true },
    { input: '+15559999999', jid: null, exists: false }
  ]);
  await assert.rejects(alice.contacts.onWhatsApp([ids[BOB]!.lid]), EngineInvalidArgumentError);
});

test('sendText reaches the phone, and its receipts come back as message_status', async () => {
  const from = probe.mark();
  const sent = await alice.messages.sendText(BOB, 'Hello Bob');
  assert.equal(sent.chat, ids[BOB]!.jid);
  assert.ok(sent.timestamp > 0);
  const got = await eventually(async () => (await inbox(BOB)).find((m) => m.id === sent.id));
  assert.equal(got.text, 'Hello Bob');
  await probe.waitFor('message_status', (s) => s.id === sent.id && s.status === 'delivered', { from });
  await net.ok('POST', `/sandbox/v1/accounts/${BOB}/receipts`, { chat: ALICE, ids: [sent.id], type: 'read' });
  const read = await probe.waitFor('message_status', (s) => s.id === sent.id && s.status === 'read', { from });
  assert.deepEqual({ chat: read.chat, fromMe: read.fromMe }, { chat: ids[BOB]!.jid, fromMe: true });
});

test('received messages are normalised, and replies quote them', async () => {
  const from = probe.mark();
  const { id } = await phoneSends(BOB, { to: ALICE, text: 'Hi Alice' });
  const message = await probe.waitFor('message', (m) => m.id === id, { from });
  assert.deepEqual(
    { chat: message.chat, sender: message.sender, fromMe: message.fromMe, type: message.type, text: message.text, quotedId: message.quotedId },
    { chat: ids[BOB]!.jid, sender: person(BOB), fromMe: false, type: 'text', text: 'Hi Alice', quotedId: null }
  );
  assert.ok(message.timestamp > 0);
  assert.equal((message.raw as { key: { id: string } }).key.id, id);
  const reply = await alice.messages.sendText(ids[BOB]!.lid, 'Hi back', { quotedId: id });
  const got = await eventually(async () => (await inbox(BOB)).find((m) => m.id === reply.id));
  assert.equal(got.message.extendedTextMessage?.contextInfo?.stanzaId, id);
});

test("messages the account writes on its phone are reported as fromMe, in the peer's chat", async () => {
  const from = probe.mark();
  const { id } = await phoneSends(ALICE, { to: BOB, text: 'From my phone' });
  const message = await probe.waitFor('message', (m) => m.id === id, { from });
  assert.deepEqual(
    { chat: message.chat, sender: message.sender, fromMe: message.fromMe, text: message.text },
    { chat: ids[BOB]!.jid, sender: person(ALICE), fromMe: true, text: 'From my phone' }
  );
});

test('group messages both ways, with per-member receipts', async () => {
  const group = await alice.groups.create('Chat', [BOB, CAROL]);
  const from = probe.mark();
  const sent = await alice.messages.sendText(group.id, 'Hello group');
  const got = await eventually(async () => (await inbox(CAROL)).find((m) => m.id === sent.id));
  assert.equal(got.text, 'Hello group');
  await net.ok('POST', `/sandbox/v1/accounts/${CAROL}/receipts`, { chat: group.id, ids: [sent.id], type: 'read' });
  const read = await probe.waitFor('message_status', (s) => s.id === sent.id && s.status === 'read', { from });
  assert.deepEqual(read.participant, person(CAROL));
  assert.equal(read.chat, group.id);
  const { id } = await phoneSends(BOB, { to: group.id, text: 'Hi all' });
  const message = await probe.waitFor('message', (m) => m.id === id, { from });
  assert.deepEqual({ chat: message.chat, sender: message.sender, text: message.text }, { chat: group.id, sender: person(BOB), text: 'Hi all' });
});

test('presence: a contact typing is reported with PN and LID', async () => {
  const from = probe.mark();
  await net.ok('POST', `/sandbox/v1/accounts/${BOB}/presence`, { type: 'composing', to: ALICE });
  const typing = await probe.waitFor('presence', (p) => p.presence === 'composing', { from });
  assert.deepEqual({ chat: typing.chat, participant: typing.participant }, { chat: ids[BOB]!.jid, participant: person(BOB) });
});

test('profile pictures: null when the user has none', async () => {
  assert.equal(await alice.contacts.pictureUrl(BOB), null);
});
