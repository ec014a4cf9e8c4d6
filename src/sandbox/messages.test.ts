import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { proto } from 'baileys';
import type { RunningSandbox } from './index.js';
import { control, createAccount, linkedClient, phoneMessage, sandbox } from '../../test/support/sandbox-fixture.js';
import type { RawClient } from '../../test/support/raw-client.js';

const ALICE = '15550101001';
const BOB = '15550101002';
const bobJid = `${BOB}@s.whatsapp.net`;

let sb: RunningSandbox;
let alice: RawClient;

before(async () => {
  sb = await sandbox();
  await createAccount(sb, BOB, 'Bob');
  alice = await linkedClient(sb, ALICE, 'Alice');
});
after(async () => {
  alice.stop();
  await sb.stop();
});

test('a raw client message reaches the simulated phone decrypted, with a delivery receipt back and an own-phone copy', async () => {
  const sent = await alice.sock!.sendMessage(bobJid, { text: 'hello Bob' });
  const received = await phoneMessage(sb, BOB, (m) => m.id === sent!.key.id, 'the text');
  assert.equal(received.text, 'hello Bob');
  assert.equal(received.fromMe, false);
  assert.equal(received.from, `${ALICE}@s.whatsapp.net`);
  assert.equal(received.type, 'extendedTextMessage');
  await alice.waitForStatus(sent!.key.id!, proto.WebMessageInfo.Status.DELIVERY_ACK);
  const copy = await phoneMessage(sb, ALICE, (m) => m.id === sent!.key.id, 'the own-device copy');
  assert.equal(copy.fromMe, true);
  assert.equal(copy.chat, bobJid);
  assert.equal(copy.text, 'hello Bob');
  assert.deepEqual(copy.receipts.map((r: any) => r.type), ['delivery']);
});

test('a simulated phone message reaches the raw client, and its read receipt is recorded at the phone', async () => {
  const sent = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'hi Alice' });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const upsert = await alice.waitFor('messages.upsert', ({ messages }) => messages.some((m) => m.key.id === sent.body.id));
  const message = upsert.messages.find((m) => m.key.id === sent.body.id)!;
  assert.equal(message.message?.extendedTextMessage?.text ?? message.message?.conversation, 'hi Alice');
  assert.equal(message.key.fromMe, false);
  await alice.sock!.readMessages([message.key]);
  const mine = await phoneMessage(sb, BOB, (m) => m.id === sent.body.id && m.receipts.some((r: any) => r.type === 'read'), 'the read receipt');
  assert.deepEqual(
    mine.receipts.map((r: any) => r.type),
    ['delivery', 'read']
  );
});
