// Messaging end to end: an engine session (Alice) sends every kind of content to simulated phones in an
// in-process sandbox, which decrypt it (and its media) as WhatsApp clients do; sends resolve at the server's ack;
// reactions, edits, revokes, read receipts and app-state changes reach the phones; and what the phones send —
// messages, media, edits, revokes, reactions, poll votes — comes back as the port's events.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { EngineInvalidArgumentError, EngineRemoteError } from '../errors.js';
import type { EngineSession } from '../port.js';
import { SessionProbe, type EngineSandbox } from '../testing/engine-sandbox.js';
import { eventually, sandboxPhones, type PhoneMessage } from '../testing/sandbox-phones.js';
import type { MessageKey, OutboundContent, SendOptions, SentMessage } from '../types.js';
import { useEngineSandbox } from '../../../test/support/engine-fixture.js';
import { SMALL_PNG } from '../../../test/support/images.js';

const ALICE = '15550020001';
const BOB = '15550020002';
const CAROL = '15550020003';
const DAVE = '15550020004';

const fixture = useEngineSandbox({ accounts: [BOB, CAROL, DAVE], linked: ALICE });
let net: EngineSandbox;
let alice: EngineSession;
let probe: SessionProbe;
before(async () => ({ net, session: alice, probe } = await fixture.ready));
const { ids, person } = fixture;
const { inbox, phoneSends, atPhone } = sandboxPhones(() => net);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function send(to: string, content: OutboundContent, options: Omit<SendOptions, 'id'> = {}): Promise<SentMessage> {
  return alice.messages.send(to, content, { id: alice.messages.newMessageId(), ...options });
}

/** Sends (to `phone`, or its JID `to`) and returns the message as the phone decrypted it, checking the id is the one we chose. */
async function delivered(phone: string, content: OutboundContent, options: Omit<SendOptions, 'id'> = {}, to = phone): Promise<PhoneMessage> {
  const id = alice.messages.newMessageId();
  const sent = await alice.messages.send(to, content, { id, ...options });
  assert.equal(sent.id, id, 'the WhatsApp id is the one we gave');
  return atPhone(phone, id);
}

const media = (data: Buffer, mimetype: string) => ({ data, mimetype });

test('onWhatsApp tells which numbers have WhatsApp, with their LIDs', async () => {
  assert.deepEqual(await alice.contacts.onWhatsApp([BOB, '+15559999999']), [
    { input: BOB, jid: ids[BOB]!.jid, lid: ids[BOB]!.lid, exists: true },
    { input: '+15559999999', jid: null, lid: null, exists: false }
  ]);
  await assert.rejects(alice.contacts.onWhatsApp([ids[BOB]!.lid]), EngineInvalidArgumentError);
});

test('a text send resolves at the server ack with our id and raw, reaches the phone, and its receipts come back', async () => {
  const from = probe.mark();
  const id = alice.messages.newMessageId();
  const sent = await alice.messages.send(BOB, { type: 'text', text: 'Hello Bob' }, { id });
  assert.deepEqual({ id: sent.id, chat: sent.chat }, { id, chat: ids[BOB]!.jid });
  assert.ok(sent.timestamp > 0);
  const raw = sent.raw as { key: { id: string; fromMe: boolean }; message: { extendedTextMessage: { text: string } }; messageTimestamp: unknown };
  assert.deepEqual({ key: raw.key.id, fromMe: raw.key.fromMe, text: raw.message.extendedTextMessage.text }, { key: id, fromMe: true, text: 'Hello Bob' });
  assert.equal(typeof raw.messageTimestamp, 'number', 'raw JSON has 64-bit numbers as numbers');
  const got = await atPhone(BOB, id);
  assert.equal(got.text, 'Hello Bob');
  await probe.waitFor('message_status', (s) => s.id === id && s.status === 'delivered', { from });
  await net.ok('POST', `/sandbox/v1/accounts/${BOB}/receipts`, { chat: ALICE, ids: [id], type: 'read' });
  const read = await probe.waitFor('message_status', (s) => s.id === id && s.status === 'read', { from });
  assert.deepEqual({ chat: read.chat, fromMe: read.fromMe }, { chat: ids[BOB]!.jid, fromMe: true });
});

test('a send the server refuses rejects with EngineRemoteError carrying its ack error', async () => {
  await assert.rejects(send('15559999999', { type: 'text', text: 'nobody here' }), (error: unknown) => error instanceof EngineRemoteError && error.code === 404);
});

test('bad input is refused before anything is sent', async () => {
  await assert.rejects(send(BOB, { type: 'text', text: '' }), EngineInvalidArgumentError);
  await assert.rejects(send('not-a-jid', { type: 'text', text: 'hi' }), EngineInvalidArgumentError);
  await assert.rejects(alice.messages.send(BOB, { type: 'text', text: 'hi' }, { id: '' }), EngineInvalidArgumentError);
  await assert.rejects(send(BOB, { type: 'poll', name: 'Q', options: ['only one'], selectableCount: 1 }), EngineInvalidArgumentError);
  await assert.rejects(send(BOB, { type: 'image', media: media(Buffer.alloc(0), 'image/png') }), EngineInvalidArgumentError);
  await assert.rejects(send(BOB, { type: 'buttons', text: 'Pick', buttons: [{ type: 'url', displayText: 'Site' }] }), EngineInvalidArgumentError);
  await assert.rejects(send(BOB, { type: 'location', latitude: 91, longitude: 0 }), EngineInvalidArgumentError);
});

test('media: image, video, voice note, document and sticker arrive with their bytes and attributes', async () => {
  const image = await delivered(BOB, { type: 'image', media: media(SMALL_PNG, 'image/png'), caption: 'A square', thumbnail: SMALL_PNG });
  assert.deepEqual({ caption: image.message.imageMessage?.caption, mimetype: image.message.imageMessage?.mimetype }, { caption: 'A square', mimetype: 'image/png' });
  assert.equal(image.media?.sha256, sha256(SMALL_PNG), 'the phone decrypted exactly our bytes');

  const clip = Buffer.from('not really an mp4, but bytes all the same');
  const video = await delivered(BOB, { type: 'video', media: media(clip, 'video/mp4'), caption: 'Loop', gifPlayback: true, seconds: 3, thumbnail: SMALL_PNG });
  assert.deepEqual(
    { caption: video.message.videoMessage?.caption, gif: video.message.videoMessage?.gifPlayback, seconds: video.message.videoMessage?.seconds },
    { caption: 'Loop', gif: true, seconds: 3 }
  );
  assert.equal(video.media?.sha256, sha256(clip));

  const voice = Buffer.from('opus frames');
  const audio = await delivered(BOB, { type: 'audio', media: media(voice, 'audio/ogg; codecs=opus'), seconds: 2, voiceNote: true });
  assert.deepEqual({ ptt: audio.message.audioMessage?.ptt, mimetype: audio.message.audioMessage?.mimetype }, { ptt: true, mimetype: 'audio/ogg; codecs=opus' });
  assert.equal(audio.media?.sha256, sha256(voice));

  const pdf = Buffer.from('%PDF-1.4 tiny');
  const document = await delivered(BOB, { type: 'document', media: media(pdf, 'application/pdf'), fileName: 'terms.pdf', caption: 'Please read' });
  assert.deepEqual(
    { fileName: document.message.documentMessage?.fileName, caption: document.message.documentMessage?.caption, mimetype: document.message.documentMessage?.mimetype },
    { fileName: 'terms.pdf', caption: 'Please read', mimetype: 'application/pdf' }
  );
  assert.equal(document.media?.sha256, sha256(pdf));

  const webp = Buffer.from('RIFF....WEBPVP8 ');
  const sticker = await delivered(BOB, { type: 'sticker', media: media(webp, 'image/webp') });
  assert.equal(sticker.message.stickerMessage?.mimetype, 'image/webp');
  assert.equal(sticker.media?.sha256, sha256(webp));
});

test('view-once media keeps its mentions inside the view-once wrapper', async () => {
  const got = await delivered(BOB, { type: 'image', media: media(SMALL_PNG, 'image/png'), caption: 'Once @15550020003', thumbnail: SMALL_PNG, viewOnce: true }, { mentions: [CAROL] });
  const inner = got.message.viewOnceMessage?.message?.imageMessage;
  assert.equal(inner?.caption, 'Once @15550020003');
  assert.deepEqual(inner?.contextInfo?.mentionedJid, [ids[CAROL]!.jid]);
});

test('location, contacts and polls', async () => {
  const location = await delivered(BOB, { type: 'location', latitude: 52.52, longitude: 13.405, name: 'Berlin', address: 'Mitte' });
  assert.deepEqual(
    { lat: location.message.locationMessage?.degreesLatitude, lng: location.message.locationMessage?.degreesLongitude, name: location.message.locationMessage?.name, address: location.message.locationMessage?.address },
    { lat: 52.52, lng: 13.405, name: 'Berlin', address: 'Mitte' }
  );

  const card = (name: string) => `BEGIN:VCARD\nVERSION:3.0\nFN:${name}\nTEL;type=CELL:+15550000000\nEND:VCARD`;
  const one = await delivered(BOB, { type: 'contacts', displayName: 'Ann', vcards: [card('Ann')] });
  assert.deepEqual({ name: one.message.contactMessage?.displayName, vcard: one.message.contactMessage?.vcard }, { name: 'Ann', vcard: card('Ann') });
  const two = await delivered(BOB, { type: 'contacts', displayName: '2 contacts', vcards: [card('Ann'), card('Ben')] });
  assert.equal(two.message.contactsArrayMessage?.displayName, '2 contacts');
  assert.deepEqual(two.message.contactsArrayMessage?.contacts.map((c: { displayName: string }) => c.displayName), ['Ann', 'Ben']);

  const single = await delivered(BOB, { type: 'poll', name: 'Lunch?', options: ['Pizza', 'Salad'], selectableCount: 1 });
  assert.equal(single.message.pollCreationMessageV3?.name, 'Lunch?');
  assert.deepEqual(single.message.pollCreationMessageV3?.options.map((o: { optionName: string }) => o.optionName), ['Pizza', 'Salad']);
  assert.ok(single.message.messageContextInfo?.messageSecret, 'a poll carries the secret its votes are encrypted with');
  const multiple = await delivered(BOB, { type: 'poll', name: 'Toppings', options: ['Olives', 'Basil', 'Chili'], selectableCount: 0 });
  assert.equal(multiple.message.pollCreationMessage?.selectableOptionsCount ?? 0, 0);
  assert.equal(multiple.message.pollCreationMessage?.options.length, 3);
});

test('buttons and lists go out as native-flow interactive messages with the biz node', async () => {
  const buttons = await delivered(BOB, {
    type: 'buttons',
    text: 'How can we help?',
    footer: 'Acme',
    buttons: [
      { type: 'reply', displayText: 'Talk to us', id: 'talk' },
      { type: 'url', displayText: 'Website', url: 'https://example.com' },
      { type: 'call', displayText: 'Call', phoneNumber: '+15550000000' },
      { type: 'copy', displayText: 'Copy code', copyCode: 'SAVE10' }
    ]
  });
  const flow = buttons.message.interactiveMessage;
  assert.deepEqual({ body: flow?.body?.text, footer: flow?.footer?.text }, { body: 'How can we help?', footer: 'Acme' });
  assert.deepEqual(
    flow?.nativeFlowMessage?.buttons.map((b: { name: string; buttonParamsJson: string }) => [b.name, JSON.parse(b.buttonParamsJson)]),
    [
      ['quick_reply', { display_text: 'Talk to us', id: 'talk' }],
      ['cta_url', { display_text: 'Website', url: 'https://example.com', merchant_url: 'https://example.com' }],
      ['cta_call', { display_text: 'Call', phone_number: '+15550000000' }],
      ['cta_copy', { display_text: 'Copy code', copy_code: 'SAVE10' }]
    ]
  );
  const { stanzas } = await net.ok<{ stanzas: { direction: string; stanza: { tag: string; attrs: Record<string, string>; content?: { tag: string }[] } }[] }>(
    'GET',
    `/sandbox/v1/stanzas?device=${ALICE}&limit=20000`
  );
  const stanza = stanzas.find((s) => s.direction === 'in' && s.stanza.tag === 'message' && s.stanza.attrs.id === buttons.id);
  assert.ok(stanza?.stanza.content?.some((child) => child.tag === 'biz'), 'the stanza carries <biz><interactive type="native_flow">');

  const list = await delivered(BOB, {
    type: 'list',
    text: 'Our menu',
    title: 'Menu',
    buttonText: 'See dishes',
    sections: [{ title: 'Mains', rows: [{ id: 'm1', title: 'Pasta', description: 'With basil' }, { id: 'm2', title: 'Risotto' }] }]
  });
  const select = list.message.interactiveMessage?.nativeFlowMessage?.buttons[0];
  assert.equal(list.message.interactiveMessage?.header?.title, 'Menu');
  assert.equal(select?.name, 'single_select');
  assert.deepEqual(JSON.parse(select?.buttonParamsJson ?? '{}'), {
    title: 'See dishes',
    sections: [{ title: 'Mains', rows: [{ id: 'm1', title: 'Pasta', description: 'With basil' }, { id: 'm2', title: 'Risotto' }] }]
  });
});

test('received messages are normalised; replies quote them in full from raw, or by key', async () => {
  const from = probe.mark();
  const { id } = await phoneSends(BOB, { to: ALICE, text: 'Hi Alice' });
  const message = await probe.waitFor('message', (m) => m.id === id, { from });
  assert.deepEqual(
    { chat: message.chat, sender: message.sender, fromMe: message.fromMe, type: message.type, text: message.text, quotedId: message.quotedId, mentions: message.mentions, forwarded: message.forwarded, media: message.media },
    { chat: ids[BOB]!.jid, sender: person(BOB), fromMe: false, type: 'text', text: 'Hi Alice', quotedId: null, mentions: [], forwarded: false, media: null }
  );
  assert.ok(message.timestamp > 0);
  assert.equal((message.raw as { key: { id: string } }).key.id, id);
  const key: MessageKey = { chat: message.chat, id, fromMe: false };

  const full = await delivered(BOB, { type: 'text', text: 'Hi back' }, { quoted: { key, raw: message.raw } }, ids[BOB]!.lid);
  const context = full.message.extendedTextMessage?.contextInfo;
  assert.deepEqual({ stanzaId: context?.stanzaId, quoted: context?.quotedMessage?.extendedTextMessage?.text ?? context?.quotedMessage?.conversation }, { stanzaId: id, quoted: 'Hi Alice' });

  const byKey = await delivered(BOB, { type: 'text', text: 'Same, by key' }, { quoted: { key, raw: null } });
  assert.equal(byKey.message.extendedTextMessage?.contextInfo?.stanzaId, id);
  assert.equal(byKey.message.extendedTextMessage?.contextInfo?.participant, ids[BOB]!.jid);

  assert.ok(!probe.all('message', from).some((m) => m.id === full.id || m.id === byKey.id), 'our own sends are not reported back as messages');
});

test('mentions and the forwarded mark reach the phone', async () => {
  const got = await delivered(BOB, { type: 'text', text: 'Hey @15550020003' }, { mentions: [CAROL], forwarded: true });
  const context = got.message.extendedTextMessage?.contextInfo;
  assert.deepEqual({ mentioned: context?.mentionedJid, forwarded: context?.isForwarded, score: context?.forwardingScore }, { mentioned: [ids[CAROL]!.jid], forwarded: true, score: 1 });
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
  const sent = await send(group.id, { type: 'text', text: 'Hello group' });
  const got = await atPhone(CAROL, sent.id);
  assert.equal(got.text, 'Hello group');
  await net.ok('POST', `/sandbox/v1/accounts/${CAROL}/receipts`, { chat: group.id, ids: [sent.id], type: 'read' });
  const read = await probe.waitFor('message_status', (s) => s.id === sent.id && s.status === 'read', { from });
  assert.deepEqual(read.participant, person(CAROL));
  assert.equal(read.chat, group.id);
  const { id } = await phoneSends(BOB, { to: group.id, text: 'Hi all' });
  const message = await probe.waitFor('message', (m) => m.id === id, { from });
  assert.deepEqual({ chat: message.chat, sender: message.sender, text: message.text }, { chat: group.id, sender: person(BOB), text: 'Hi all' });

  const reaction = await alice.messages.react({ chat: group.id, id, fromMe: false, participant: BOB }, '🎉', { id: alice.messages.newMessageId() });
  const atBob = await atPhone(BOB, reaction.id);
  assert.deepEqual({ emoji: atBob.message.reactionMessage?.text, target: atBob.message.reactionMessage?.key?.id }, { emoji: '🎉', target: id });
  await assert.rejects(alice.messages.react({ chat: group.id, id, fromMe: false }, '🎉', { id: alice.messages.newMessageId() }), EngineInvalidArgumentError);
});

test('react, unreact, edit and revoke reach the phone as such, each resolving at its ack', async () => {
  const original = await send(BOB, { type: 'text', text: 'Typo heer' });
  const key: MessageKey = { chat: original.chat, id: original.id, fromMe: true };

  const reactId = alice.messages.newMessageId();
  assert.equal((await alice.messages.react(key, '👍', { id: reactId })).id, reactId);
  const reaction = await atPhone(BOB, reactId);
  assert.deepEqual({ emoji: reaction.message.reactionMessage?.text, target: reaction.message.reactionMessage?.key?.id }, { emoji: '👍', target: original.id });
  const unreact = await alice.messages.react(key, '', { id: alice.messages.newMessageId() });
  assert.equal((await atPhone(BOB, unreact.id)).message.reactionMessage?.text ?? '', '');

  const edit = await alice.messages.edit(key, 'Typo here', { id: alice.messages.newMessageId() });
  const edited = (await atPhone(BOB, edit.id)).message.protocolMessage;
  assert.deepEqual({ type: edited?.type, target: edited?.key?.id, text: edited?.editedMessage?.extendedTextMessage?.text }, { type: 'MESSAGE_EDIT', target: original.id, text: 'Typo here' });
  await assert.rejects(alice.messages.edit({ ...key, fromMe: false }, 'not mine', { id: alice.messages.newMessageId() }), EngineInvalidArgumentError);

  const revoke = await alice.messages.revoke(key, { id: alice.messages.newMessageId() });
  const revoked = (await atPhone(BOB, revoke.id)).message.protocolMessage;
  assert.deepEqual({ type: revoked?.type, target: revoked?.key?.id }, { type: 'REVOKE', target: original.id });
});

test('star and delete-for-me are app-state changes the phone receives', async () => {
  const sent = await send(BOB, { type: 'text', text: 'Keep this one' });
  const key: MessageKey = { chat: sent.chat, id: sent.id, fromMe: true };
  await alice.messages.star(key, true);
  await alice.messages.deleteForMe(key, sent.timestamp, false);
  const { mutations } = await net.ok<{ mutations: { index: string[] }[] }>('GET', `/sandbox/v1/accounts/${ALICE}/app-state`);
  const indexes = mutations.map((m) => m.index.slice(0, 3).join(' '));
  assert.ok(indexes.includes(`star ${sent.chat} ${sent.id}`), `star mutation among ${indexes.join(', ')}`);
  assert.ok(indexes.includes(`deleteMessageForMe ${sent.chat} ${sent.id}`), 'delete-for-me mutation');
  await assert.rejects(alice.messages.deleteForMe(key, 0, false), EngineInvalidArgumentError);
});

test("read: the phone's message gets a read receipt", async () => {
  const from = probe.mark();
  const { id } = await phoneSends(BOB, { to: ALICE, text: 'Did you read this?' });
  const message = await probe.waitFor('message', (m) => m.id === id, { from });
  await alice.messages.read([{ chat: message.chat, id, fromMe: false }]);
  await eventually(async () => ((await atPhone(BOB, id)).receipts.some((r) => r.type === 'read') ? true : undefined));
  await assert.rejects(alice.messages.read([]), EngineInvalidArgumentError);
});

test('presence: chat states need a chat; global ones do not', async () => {
  await alice.messages.presence('composing', BOB);
  await alice.messages.presence('paused', BOB);
  await alice.messages.presence('available');
  await assert.rejects(alice.messages.presence('recording'), EngineInvalidArgumentError);
});

test('an image a phone sends: its media is announced, and downloadMedia returns the same bytes', async () => {
  const from = probe.mark();
  const { id } = await phoneSends(BOB, { to: ALICE, image: { base64: SMALL_PNG.toString('base64'), mimetype: 'image/png', caption: 'Look' } });
  const message = await probe.waitFor('message', (m) => m.id === id, { from });
  assert.deepEqual({ type: message.type, text: message.text }, { type: 'image', text: 'Look' });
  assert.deepEqual(
    { kind: message.media?.kind, mimetype: message.media?.mimetype, size: message.media?.size, sha256: message.media?.sha256, viewOnce: message.media?.viewOnce },
    { kind: 'image', mimetype: 'image/png', size: SMALL_PNG.length, sha256: sha256(SMALL_PNG), viewOnce: false }
  );
  const bytes = await alice.messages.downloadMedia(JSON.parse(JSON.stringify(message.raw)));
  assert.ok(bytes.equals(SMALL_PNG));
  await assert.rejects(alice.messages.downloadMedia({ key: { id: 'x' }, message: { conversation: 'no media' } }), EngineInvalidArgumentError);
});

test('edits, revokes and reactions from a phone arrive as their own events, not as messages', async () => {
  const from = probe.mark();
  const { id } = await phoneSends(BOB, { to: ALICE, text: 'Frist' });
  await probe.waitFor('message', (m) => m.id === id, { from });

  const edit = await phoneSends(BOB, { to: ALICE, edit: { messageId: id, text: 'First' } });
  const edited = await probe.waitFor('message_edit', (e) => e.id === id, { from });
  assert.deepEqual({ chat: edited.chat, sender: edited.sender, fromMe: edited.fromMe, text: edited.text }, { chat: ids[BOB]!.jid, sender: person(BOB), fromMe: false, text: 'First' });
  assert.ok(edited.timestamp > 0);

  const mine = await send(BOB, { type: 'text', text: 'React to me' });
  const reaction = await phoneSends(BOB, { to: ALICE, reaction: { messageId: mine.id, emoji: '❤️' } });
  const reacted = await probe.waitFor('message_reaction', (r) => r.id === reaction.id, { from });
  assert.deepEqual(
    { chat: reacted.chat, target: reacted.target, sender: reacted.sender, fromMe: reacted.fromMe, emoji: reacted.emoji },
    { chat: ids[BOB]!.jid, target: { chat: ids[BOB]!.jid, id: mine.id, fromMe: true, participant: null }, sender: person(BOB), fromMe: false, emoji: '❤️' }
  );
  const removal = await phoneSends(BOB, { to: ALICE, reaction: { messageId: mine.id, emoji: '' } });
  assert.equal((await probe.waitFor('message_reaction', (r) => r.id === removal.id, { from })).emoji, '');

  const revoke = await phoneSends(BOB, { to: ALICE, revoke: { messageId: id } });
  const revoked = await probe.waitFor('message_revoke', (r) => r.id === id, { from });
  assert.deepEqual({ chat: revoked.chat, sender: revoked.sender, fromMe: revoked.fromMe }, { chat: ids[BOB]!.jid, sender: person(BOB), fromMe: false });

  const changeIds = new Set([edit.id, reaction.id, removal.id, revoke.id]);
  assert.deepEqual(probe.all('message', from).filter((m) => changeIds.has(m.id)), [], 'none of them is reported as a message');
});

test('calls: an offer and its end arrive as call events (the sandbox has no calls: the stanzas are played to the device)', async () => {
  const from = probe.mark();
  const { network } = net.sandbox;
  const aliceAccount = network.accounts.resolve(ids[ALICE]!.jid)!.account;
  const t = String(Math.floor(Date.now() / 1000));
  const call = (child: { tag: string; attrs: Record<string, string>; content?: { tag: string; attrs: Record<string, string> }[] }, id: string) =>
    network.deliverToCompanions(aliceAccount, () => ({ tag: 'call', attrs: { from: ids[BOB]!.lid, id, t }, content: [child] }));
  const attrs = { 'call-id': 'CALL1', 'call-creator': ids[BOB]!.lid, caller_pn: ids[BOB]!.jid };
  call({ tag: 'offer', attrs, content: [{ tag: 'video', attrs: {} }] }, 'STANZA1');
  const offer = await probe.waitFor('call', (c) => c.id === 'CALL1' && c.status === 'offer', { from });
  assert.deepEqual({ from: offer.from, groupId: offer.groupId, video: offer.video, timestamp: offer.timestamp }, { from: person(BOB), groupId: null, video: true, timestamp: Number(t) });
  call({ tag: 'terminate', attrs }, 'STANZA2');
  const end = await probe.waitFor('call', (c) => c.id === 'CALL1' && c.status === 'terminate', { from });
  assert.equal(end.video, true, 'what the offer said is kept for the later states');
});

test("poll votes are decrypted into the voter's current choice", async () => {
  const from = probe.mark();
  const poll = await send(BOB, { type: 'poll', name: 'Colour?', options: ['Red', 'Green', 'Blue'], selectableCount: 0 });
  await atPhone(BOB, poll.id);
  await phoneSends(BOB, { to: ALICE, pollVote: { messageId: poll.id, options: ['Red', 'Blue'] } });
  const vote = await probe.waitFor('poll_vote', (v) => v.pollId === poll.id, { from });
  assert.deepEqual({ chat: vote.chat, voter: vote.voter, options: vote.options }, { chat: ids[BOB]!.jid, voter: person(BOB), options: ['Red', 'Blue'] });
  const mark = probe.mark();
  await phoneSends(BOB, { to: ALICE, pollVote: { messageId: poll.id, options: [] } });
  assert.deepEqual((await probe.waitFor('poll_vote', (v) => v.pollId === poll.id, { from: mark })).options, [], 'a withdrawn vote');
});
