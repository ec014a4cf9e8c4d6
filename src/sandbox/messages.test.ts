import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decryptPollVote, proto } from 'baileys';
import type { RunningSandbox } from './index.js';
import { control, createAccount, phoneMessage, pn, upsertOf, useSandbox } from '../../test/support/sandbox-fixture.js';
import type { RawClient } from '../../test/support/raw-client.js';

const ALICE = '15550101001';
const BOB = '15550101002';
const bobJid = pn(BOB);

const fixture = useSandbox({ accounts: { [BOB]: 'Bob' }, linked: [[ALICE, 'Alice']] });
let sb: RunningSandbox;
let alice: RawClient;
before(async () => ({ sb, clients: [alice] } = await fixture.ready));

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
  const recorded = await control(sb, 'GET', `/sandbox/v1/stanzas?device=${BOB}`);
  assert.ok(recorded.body.stanzas.some((s: any) => s.direction === 'out' && s.stanza.tag === 'message' && s.stanza.attrs.id === sent!.key.id));
});

test('a simulated phone message reaches the raw client, and its read receipt is recorded at the phone', async () => {
  const sent = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'hi Alice' });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const { message } = await upsertOf(alice, sent.body.id);
  assert.equal(message.message?.extendedTextMessage?.text ?? message.message?.conversation, 'hi Alice');
  assert.equal(message.key.fromMe, false);
  await alice.sock!.readMessages([message.key]);
  const mine = await phoneMessage(sb, BOB, (m) => m.id === sent.body.id && m.receipts.some((r: any) => r.type === 'read'), 'the read receipt');
  assert.deepEqual(
    mine.receipts.map((r: any) => r.type),
    ['delivery', 'read']
  );
});

test('reactions, edits, revokes, replies, polls, locations and contacts from a raw client decrypt at the simulated phone', async () => {
  const original = await alice.sock!.sendMessage(bobJid, { text: 'original' });
  const key = original!.key;
  const sends = [
    await alice.sock!.sendMessage(bobJid, { react: { key, text: '👍' } }),
    await alice.sock!.sendMessage(bobJid, { edit: key, text: 'edited' }),
    await alice.sock!.sendMessage(bobJid, { text: 'a reply' }, { quoted: original! }),
    await alice.sock!.sendMessage(bobJid, { poll: { name: 'Lunch?', values: ['pizza', 'sushi'], selectableCount: 1 } }),
    await alice.sock!.sendMessage(bobJid, { location: { degreesLatitude: 52.52, degreesLongitude: 13.405, name: 'Berlin' } }),
    await alice.sock!.sendMessage(bobJid, { contacts: { displayName: 'Carol', contacts: [{ vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Carol\nTEL:+15550101003\nEND:VCARD' }] } }),
    await alice.sock!.sendMessage(bobJid, { delete: key })
  ];
  const at = (i: number) => phoneMessage(sb, BOB, (m) => m.id === sends[i]!.key.id, `message ${i}`);
  const [reaction, edit, reply, poll, location, contact, revoke] = await Promise.all(sends.map((_, i) => at(i)));
  assert.equal(reaction.type, 'reactionMessage');
  assert.equal(reaction.message.reactionMessage.text, '👍');
  assert.equal(reaction.message.reactionMessage.key.id, key.id);
  assert.equal(edit.type, 'protocolMessage');
  assert.equal(edit.message.protocolMessage.type, 'MESSAGE_EDIT');
  assert.equal(edit.text, 'edited');
  assert.equal(reply.message.extendedTextMessage.contextInfo.stanzaId, key.id);
  assert.equal(reply.message.extendedTextMessage.contextInfo.quotedMessage.extendedTextMessage.text, 'original');
  assert.equal(poll.type, 'pollCreationMessageV3');
  assert.deepEqual(poll.message.pollCreationMessageV3.options.map((o: any) => o.optionName), ['pizza', 'sushi']);
  assert.equal(location.message.locationMessage.name, 'Berlin');
  assert.equal(location.message.locationMessage.degreesLatitude, 52.52);
  assert.match(contact.message.contactMessage.vcard, /FN:Carol/);
  assert.equal(revoke.message.protocolMessage.type, 'REVOKE');
  assert.equal(revoke.message.protocolMessage.key.id, key.id);
});

test('a simulated phone replies, reacts, edits, revokes and sends polls, locations and contacts to a raw client', async () => {
  const send = async (body: object) => {
    const response = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: `${ALICE}@s.whatsapp.net`, ...body });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return (await upsertOf(alice, response.body.id)).message;
  };
  const first = await send({ text: 'first' });
  const reply = await send({ text: 'second', replyTo: first.key.id });
  assert.equal(reply.message?.extendedTextMessage?.contextInfo?.stanzaId, first.key.id);
  const reaction = await send({ reaction: { messageId: first.key.id, emoji: '🎉' } });
  assert.equal(reaction.message?.reactionMessage?.text, '🎉');
  assert.equal(reaction.message?.reactionMessage?.key?.id, first.key.id);
  const poll = await send({ poll: { name: 'Dinner?', options: ['yes', 'no'] } });
  assert.equal(poll.message?.pollCreationMessage?.name, 'Dinner?');
  const location = await send({ location: { latitude: 48.85, longitude: 2.35, name: 'Paris' } });
  assert.equal(location.message?.locationMessage?.name, 'Paris');
  const contact = await send({ contact: { displayName: 'Dave', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Dave\nEND:VCARD' } });
  assert.equal(contact.message?.contactMessage?.displayName, 'Dave');
  const edited = alice.waitFor('messages.update', (updates) => updates.some((u) => u.key.id === first.key.id && !!u.update.message));
  await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, edit: { messageId: first.key.id, text: 'first (edited)' } });
  const editUpdate = (await edited).find((u) => u.key.id === first.key.id)!;
  assert.equal(editUpdate.update.message?.editedMessage?.message?.extendedTextMessage?.text ?? editUpdate.update.message?.extendedTextMessage?.text, 'first (edited)');
  const revoked = alice.waitFor('messages.update', (updates) => updates.some((u) => u.key.id === reply.key.id && u.update.message === null));
  await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, revoke: { messageId: reply.key.id } });
  assert.ok(await revoked);
});

test("poll votes: a simulated phone votes on a raw client's poll, and a simulated phone counts votes it receives", async () => {
  const poll = await alice.sock!.sendMessage(bobJid, { poll: { name: 'Where?', values: ['park', 'cafe'], selectableCount: 1 } });
  await phoneMessage(sb, BOB, (m) => m.id === poll!.key.id, 'the poll');
  const voted = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, pollVote: { messageId: poll!.key.id, options: ['cafe'] } });
  assert.equal(voted.status, 200, JSON.stringify(voted.body));
  const update = (await alice.waitFor('messages.upsert', ({ messages }) => messages.some((m) => m.key.id === voted.body.id))).messages[0]!.message!.pollUpdateMessage!;
  assert.equal(update.pollCreationMessageKey?.id, poll!.key.id);
  const vote = decryptPollVote(update.vote!, {
    pollCreatorJid: `${ALICE}@s.whatsapp.net`,
    pollMsgId: poll!.key.id!,
    pollEncKey: poll!.message!.messageContextInfo!.messageSecret!,
    voterJid: bobJid
  });
  assert.deepEqual(vote.selectedOptions.map((h) => Buffer.from(h).toString('hex')), [createHash('sha256').update('cafe').digest('hex')]);

  const CAROL = '15550101003';
  await createAccount(sb, CAROL, 'Carol');
  const bobsPoll = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: CAROL, poll: { name: 'Tea?', options: ['yes', 'no'] } });
  await phoneMessage(sb, CAROL, (m) => m.id === bobsPoll.body.id, 'the poll at Carol');
  const carolVote = await control(sb, 'POST', `/sandbox/v1/accounts/${CAROL}/messages`, { to: BOB, pollVote: { messageId: bobsPoll.body.id, options: ['yes'] } });
  const counted = await phoneMessage(sb, BOB, (m) => m.id === carolVote.body.id, 'the vote at Bob');
  assert.deepEqual(counted.vote, { pollId: bobsPoll.body.id, options: ['yes'] });
  const wrong = await control(sb, 'POST', `/sandbox/v1/accounts/${CAROL}/messages`, { to: BOB, pollVote: { messageId: bobsPoll.body.id, options: ['maybe'] } });
  assert.equal(wrong.status, 400);
  assert.match(wrong.body.error, /maybe not among the poll's options/);
});

test('control API refuses malformed sends with a message saying what to fix', async () => {
  const none = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE });
  assert.equal(none.status, 400);
  assert.match(none.body.error, /exactly one of text, reaction/);
  const unknown = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: '4915550000000', text: 'x' });
  assert.equal(unknown.status, 404);
  const badRef = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, reaction: { messageId: 'NOPE', emoji: 'x' } });
  assert.equal(badRef.status, 404);
  assert.match(badRef.body.error, /no message NOPE/);
});
