// What a simulated phone keeps and does with messages besides decrypting them: duplicates counted, lookups
// and filters, read/played receipts (also automatic), media it sends itself, and the app state its
// account's companions push (stars, deletes for me) applied to its own copies.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { downloadMediaMessage, proto } from 'baileys';
import type { RunningSandbox } from './index.js';
import { control, phoneMessageById, pn, upsertOf, useSandbox } from '../../test/support/sandbox-fixture.js';
import { mediaDownloadOptions, type RawClient } from '../../test/support/raw-client.js';

const ALICE = '15550909001';
const BOB = '15550909002';
const CAROL = '15550909003';
const DAVE = '15550909004';
const bobJid = pn(BOB);
const fakeFile = (label: string, size: number) => Buffer.from(Array.from({ length: size }, (_, i) => label.charCodeAt(i % label.length)));

const fixture = useSandbox({ accounts: { [BOB]: 'Bob', [CAROL]: 'Carol', [DAVE]: 'Dave' }, linked: [[ALICE, 'Alice']], media: true });
let sb: RunningSandbox;
let alice: RawClient;
before(async () => ({ sb, clients: [alice] } = await fixture.ready));

const phoneSends = async (phone: string, body: object): Promise<string> => {
  const sent = await control(sb, 'POST', `/sandbox/v1/accounts/${phone}/messages`, body);
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  return sent.body.id;
};

test('a message id arriving again from the same device is kept once, its copies counted (also on the sender phone)', async () => {
  const sent = (await alice.sock!.sendMessage(bobJid, { text: 'exactly once?' }))!;
  await phoneMessageById(sb, BOB, sent.key.id!);
  // What a gateway does when it resends after a crash: the same message under the same id, encrypted anew.
  await alice.sock!.relayMessage(bobJid, sent.message!, { messageId: sent.key.id! });
  const twice = await phoneMessageById(sb, BOB, sent.key.id!, (m) => m.copies === 2);
  assert.equal(twice.text, 'exactly once?');
  await phoneMessageById(sb, ALICE, sent.key.id!, (m) => m.fromMe && m.copies === 2);
  const listed = (await control(sb, 'GET', `/sandbox/v1/accounts/${BOB}/messages?chat=${ALICE}`)).body.messages;
  assert.equal(listed.filter((m: any) => m.id === sent.key.id).length, 1);
});

test('messages are looked up by id, and listed by chat, author and time', async () => {
  const before = Math.floor(Date.now() / 1000);
  const fromCarol = await phoneSends(CAROL, { to: BOB, text: 'from Carol' });
  const fromAlice = (await alice.sock!.sendMessage(bobJid, { text: 'from Alice' }))!.key.id!;
  const toAlice = await phoneSends(BOB, { to: ALICE, text: 'Bob to Alice' });
  await phoneMessageById(sb, BOB, fromCarol);
  await phoneMessageById(sb, BOB, fromAlice);

  const ids = async (query: string) => (await control(sb, 'GET', `/sandbox/v1/accounts/${BOB}/messages?${query}`)).body.messages.map((m: any) => m.id);
  assert.ok((await ids(`chat=${CAROL}`)).includes(fromCarol));
  assert.ok(!(await ids(`chat=${CAROL}`)).includes(fromAlice));
  const aliceChat = await ids(`chat=${fixture.lid(ALICE)}`);
  assert.ok(aliceChat.includes(fromAlice) && aliceChat.includes(toAlice) && !aliceChat.includes(fromCarol), 'a 1:1 chat matches in PN and LID form');
  assert.deepEqual(await ids(`from=${pn(CAROL)}&since=${before}`), [fromCarol]);
  assert.deepEqual(await ids(`from=${ALICE}&chat=${CAROL}`), []);
  assert.deepEqual(await ids(`since=${before + 3600}`), []);

  const missing = await control(sb, 'GET', `/sandbox/v1/accounts/${BOB}/messages/NOPE`);
  assert.equal(missing.status, 404);
  assert.match(missing.body.error, /has no message NOPE/);
  const unknownChat = await control(sb, 'GET', `/sandbox/v1/accounts/${BOB}/messages?chat=4915550000000`);
  assert.equal(unknownChat.status, 404);
});

test('a phone sends played receipts for a voice note; with autoRead it reads what arrives by itself', async () => {
  const voice = (await alice.sock!.sendMessage(bobJid, { audio: fakeFile('OggS', 500), ptt: true, seconds: 1 }))!;
  await phoneMessageById(sb, BOB, voice.key.id!);
  const played = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/receipts`, { chat: ALICE, ids: [voice.key.id], type: 'played' });
  assert.equal(played.status, 200, JSON.stringify(played.body));
  await alice.waitForStatus(voice.key.id!, proto.WebMessageInfo.Status.PLAYED);

  assert.deepEqual((await control(sb, 'GET', `/sandbox/v1/accounts/${DAVE}/settings`)).body, { autoRead: false });
  const set = await control(sb, 'POST', `/sandbox/v1/accounts/${DAVE}/settings`, { autoRead: true });
  assert.deepEqual(set.body, { autoRead: true });
  const sent = (await alice.sock!.sendMessage(pn(DAVE), { text: 'read me' }))!;
  await alice.waitForStatus(sent.key.id!, proto.WebMessageInfo.Status.READ);
  const ownCopy = await phoneMessageById(sb, ALICE, sent.key.id!, (m) => m.receipts.length === 2);
  assert.deepEqual(ownCopy.receipts.map((r: any) => r.type), ['delivery', 'read']);
  assert.equal((await control(sb, 'POST', `/sandbox/v1/accounts/${DAVE}/settings`, {})).status, 400);
});

test('a phone sends video, voice notes, documents and stickers through the media host; the raw client downloads them', async () => {
  const files = { video: fakeFile('mp4', 2500), audio: fakeFile('OggS', 900), document: fakeFile('%PDF', 1200), sticker: fakeFile('RIFFWEBP', 600) };
  const bodies = {
    video: { base64: files.video.toString('base64'), caption: 'a clip', gifPlayback: true },
    audio: { base64: files.audio.toString('base64'), ptt: true },
    document: { base64: files.document.toString('base64'), mimetype: 'application/pdf', fileName: 'invoice.pdf', caption: 'pay me' },
    sticker: { base64: files.sticker.toString('base64') }
  };
  const options = await mediaDownloadOptions(sb.mediaCaPem);
  const got: Partial<Record<keyof typeof files, proto.IMessage>> = {};
  for (const [kind, media] of Object.entries(bodies) as [keyof typeof files, object][]) {
    const id = await phoneSends(BOB, { to: ALICE, [kind]: media });
    const { message } = await upsertOf(alice, id, (m) => !!m.message?.[`${kind}Message`]);
    assert.ok(message.message![`${kind}Message`]!.url?.startsWith(sb.mediaUrl), `${kind} is on the sandbox media host`);
    assert.deepEqual(await downloadMediaMessage(message, 'buffer', options), files[kind], `${kind} decrypts to the bytes sent`);
    got[kind] = message.message!;
  }
  const video = got.video!.videoMessage!;
  assert.deepEqual([video.caption, video.gifPlayback, video.mimetype], ['a clip', true, 'video/mp4']);
  const voice = got.audio!.audioMessage!;
  assert.deepEqual([voice.ptt, voice.mimetype], [true, 'audio/ogg; codecs=opus']);
  const document = got.document!.documentMessage!;
  assert.deepEqual([document.fileName, document.mimetype, document.caption], ['invoice.pdf', 'application/pdf', 'pay me']);
  assert.equal(got.sticker!.stickerMessage!.mimetype, 'image/webp');

  const ownCopy = (await control(sb, 'GET', `/sandbox/v1/accounts/${BOB}/messages?chat=${ALICE}&from=${BOB}`)).body.messages.at(-1);
  assert.equal(ownCopy.kind, 'sticker');
  const wrongOption = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, audio: { base64: '' } });
  assert.equal(wrongOption.status, 400);
});

test("a companion's star, delete-for-me and mark-read reach its phone as app state; its read receipt reaches the sender's phone", async () => {
  await alice.waitFor('creds.update', (u) => !!u.myAppStateKeyId);
  const id = await phoneSends(BOB, { to: ALICE, text: 'star me' });
  const { message } = await upsertOf(alice, id);
  await phoneMessageById(sb, ALICE, id);

  await alice.sock!.chatModify({ star: { messages: [{ id, fromMe: false }], star: true } }, bobJid);
  assert.equal((await phoneMessageById(sb, ALICE, id)).starred, true);
  await alice.sock!.chatModify({ deleteForMe: { key: message.key, timestamp: Number(message.messageTimestamp), deleteMedia: false } }, bobJid);
  assert.equal((await phoneMessageById(sb, ALICE, id)).deletedForMe, true);
  await alice.sock!.chatModify({ markRead: true, lastMessages: [{ key: message.key, messageTimestamp: message.messageTimestamp }] }, bobJid);

  const { body } = await control(sb, 'GET', `/sandbox/v1/accounts/${ALICE}/app-state`);
  const star = body.mutations.find((m: any) => m.index[0] === 'star');
  assert.deepEqual({ index: star.index, operation: star.operation, value: star.value.starAction }, { index: ['star', bobJid, id, '0', '0'], operation: 'set', value: { starred: true } });
  assert.deepEqual(body.mutations.map((m: any) => m.index[0]), ['star', 'deleteMessageForMe', 'markChatAsRead']);
  assert.ok(body.collections.regular_low >= 2 && body.collections.regular_high >= 1);
  const onlyStars = await control(sb, 'GET', `/sandbox/v1/accounts/${ALICE}/app-state?action=star`);
  assert.equal(onlyStars.body.mutations.length, 1);

  await alice.sock!.readMessages([message.key]);
  await phoneMessageById(sb, BOB, id, (m) => m.fromMe && m.receipts.some((r: any) => r.type === 'read'));
});
