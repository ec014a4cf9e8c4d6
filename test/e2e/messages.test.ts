// Messaging end to end through the HTTP API against the sandbox, checked at the simulated recipient phone (what
// it decrypted): the send routes with their options, the durable queue's answers (sync at the ack, async 202,
// idempotency), the message actions on stored messages, inbound messages and media as signed webhooks, and the
// errors bad input gets. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, hookTo, linkSession } from '../support/gateway-harness.js';
import { SMALL_PNG, toneWav } from '../support/images.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ALICE = '15558880001';
const BOB = '15558880002';
const CAROL = '15558880003';
const NOBODY = '15558889999';
const SESSION = 'messages-alice';
const PNG_URI = `data:image/png;base64,${SMALL_PNG.toString('base64')}`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: messages`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    const receiver = new WebhookReceiver('messages-secret-123');

    const send = (route: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      gw.request('POST', `/api/v1/messages/send/${route}`, { body: { sessionId: SESSION, ...body }, headers });
    const action = (method: string, id: string, name: string, body: Record<string, unknown> = {}) =>
      gw.request(method, `/api/v1/messages/${encodeURIComponent(id)}/action/${name}`, { body: { sessionId: SESSION, ...body } });
    const received = (phone: string, id: string) =>
      eventually(async () => (await sb.ok<{ messages: any[] }>('GET', `/sandbox/v1/accounts/${phone}/messages`)).messages.find((m) => m.id === id), { what: `${phone} receives ${id}` });
    const sentOk = async (route: string, body: Record<string, unknown>) => {
      const answer = await send(route, body);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.results[0] as { messageId: string; status: string; toJid: string; timestamp: number };
    };

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb, { WAYGATE_SEND_TIMEOUT_MS: '10000' });
      await receiver.start();
      for (const phone of [BOB, CAROL]) await sb.ok('POST', '/sandbox/v1/accounts', { phone, name: `User ${phone}` });
      await linkSession(gw, sb, SESSION, ALICE, 'Alice');
      await hookTo(gw, SESSION, receiver);
    });

    after(async () => {
      await gw?.stop();
      await receiver.stop();
      await sb?.sandbox.stop();
      await db?.dispose();
    });

    test('send/text answers at the server ack with the id the recipient sees, and stores the message as sent', async () => {
      const result = await sentOk('text', { to: BOB, message: `hello @${CAROL}` });
      assert.equal(result.status, 'text success');
      assert.equal(result.toJid, `${BOB}@s.whatsapp.net`);
      const phone = await received(BOB, result.messageId);
      assert.equal(phone.text, `hello @${CAROL}`);
      assert.deepEqual(phone.message.extendedTextMessage?.contextInfo?.mentionedJid, [`${CAROL}@s.whatsapp.net`]);
      const stored = await gw.request('GET', `/api/v1/messages/${result.messageId}?sessionId=${SESSION}`);
      assert.equal(stored.status, 200, JSON.stringify(stored.body));
      assert.equal(stored.body.results[0].fromMe, true);
      assert.ok(['sent', 'delivered', 'read'].includes(stored.body.results[0].status));
    });

    test('several recipients get one message each; a reply quotes the stored message; forwarded is flagged', async () => {
      const first = await sentOk('text', { to: BOB, message: 'original' });
      const answer = await send('text', { to: [BOB, `${CAROL}@c.us`], message: 'reply', replyMessageId: first.messageId, isForwarded: true });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.results.length, 2);
      assert.match(answer.body.message, /2 recipients/);
      const [toBob, toCarol] = answer.body.results;
      const atBob = await received(BOB, toBob.messageId);
      const context = atBob.message.extendedTextMessage.contextInfo;
      assert.equal(context.stanzaId, first.messageId);
      assert.equal(context.isForwarded, true);
      assert.equal(context.quotedMessage?.conversation ?? context.quotedMessage?.extendedTextMessage?.text, 'original');
      assert.equal((await received(CAROL, toCarol.messageId)).text, 'reply');
    });

    test('async sends answer 202 with ids at once; an Idempotency-Key replays the first answer and sends nothing new', async () => {
      const headers = { 'idempotency-key': `key-${dialect}` };
      const first = await send('text', { to: BOB, message: 'once only', async: true }, headers);
      assert.equal(first.status, 202, JSON.stringify(first.body));
      assert.equal(first.body.code, 3000);
      const id = first.body.results[0].messageId;
      // Readable from the store at once, while it may still be queued.
      const stored = await gw.request('GET', `/api/v1/messages/${id}?sessionId=${SESSION}`);
      assert.equal(stored.status, 200, JSON.stringify(stored.body));
      assert.equal(stored.body.results[0].text, 'once only');
      assert.ok(['pending', 'sent', 'delivered'].includes(stored.body.results[0].status), stored.body.results[0].status);
      await received(BOB, id);
      const again = await send('text', { to: BOB, message: 'once only', async: true }, headers);
      assert.equal(again.status, 202);
      assert.equal(again.body.results[0].messageId, id);
      const other = await send('text', { to: BOB, message: 'another text', async: true }, headers);
      assert.equal(other.status, 409, JSON.stringify(other.body));
      const inbox = (await sb.ok<{ messages: any[] }>('GET', `/sandbox/v1/accounts/${BOB}/messages`)).messages;
      assert.equal(inbox.filter((m) => m.text === 'once only').length, 1);
    });

    test('a sync send whose "is it on WhatsApp?" goes unanswered is refused at the send timeout, and nothing is sent', async () => {
      const DAVE = '15558880004';
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: DAVE, name: 'Dave' });
      await sb.ok('POST', '/sandbox/v1/faults', { type: 'delay-query', query: 'usync', ms: 20_000, count: 1 });
      const started = Date.now();
      const answer = await send('text', { to: DAVE, message: 'are you there?' });
      const took = Date.now() - started;
      await sb.ok('DELETE', '/sandbox/v1/faults');
      assert.equal(answer.status, 504, JSON.stringify(answer.body));
      assert.equal(answer.body.code, 2801);
      assert.match(answer.body.message, new RegExp(`whether ${DAVE} is on WhatsApp; nothing was sent`));
      // Bounded by the gateway's send timeout (10 s here), not by WhatsApp's query timeout (a minute).
      assert.ok(took >= 9_000 && took < 15_000, `answered after ${took} ms`);

      const retry = await sentOk('text', { to: DAVE, message: 'are you there?' });
      await received(DAVE, retry.messageId);
      const inbox = (await sb.ok<{ messages: any[] }>('GET', `/sandbox/v1/accounts/${DAVE}/messages`)).messages;
      assert.deepEqual(inbox.map((m) => m.text), ['are you there?'], 'only the retry reached the phone');
    });

    test('media: an image with caption, a voice note, a document, a sticker and a GIF reach the phone decrypted', async () => {
      const image = await sentOk('media', { to: BOB, media: PNG_URI, caption: 'a picture' });
      assert.equal(image.status, 'image success');
      const atBob = await received(BOB, image.messageId);
      assert.equal(atBob.message.imageMessage.caption, 'a picture');
      assert.equal(atBob.message.imageMessage.mimetype, 'image/png');
      assert.ok(atBob.media && !atBob.media.error, JSON.stringify(atBob.media));

      const voice = await sentOk('audio', { to: BOB, audio: `data:audio/wav;base64,${toneWav().toString('base64')}`, isVN: true });
      assert.equal(voice.status, 'ptt success');
      const audio = (await received(BOB, voice.messageId)).message.audioMessage;
      assert.equal(audio.ptt, true);
      assert.match(audio.mimetype, /^audio\/ogg; codecs=opus/);

      const doc = await sentOk('document', { to: BOB, document: 'data:text/csv;base64,' + Buffer.from('a,b\n1,2\n').toString('base64'), filename: 'numbers.csv' });
      const document = (await received(BOB, doc.messageId)).message.documentMessage;
      assert.equal(document.fileName, 'numbers.csv');

      const sticker = await sentOk('sticker', { to: BOB, sticker: PNG_URI });
      const webp = (await received(BOB, sticker.messageId)).message.stickerMessage;
      assert.equal(webp.mimetype, 'image/webp');

      const gif = await sentOk('gif', { to: BOB, gif: 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==', caption: 'loop' });
      const video = (await received(BOB, gif.messageId)).message.videoMessage;
      assert.equal(video.gifPlayback, true);
      assert.equal(video.mimetype, 'video/mp4');
    });

    test('location, contact, poll, buttons and list reach the phone as WhatsApp messages', async () => {
      const location = await sentOk('location', { to: BOB, location: { latitude: 52.52, longitude: 13.405, name: 'Berlin' } });
      assert.equal((await received(BOB, location.messageId)).message.locationMessage.degreesLatitude, 52.52);
      const contact = await sentOk('contact', { to: BOB, contact: { fullName: 'Carol C', phone: CAROL } });
      assert.match((await received(BOB, contact.messageId)).message.contactMessage.vcard, new RegExp(`waid=${CAROL}`));
      const poll = await sentOk('poll', { to: BOB, question: 'Lunch?', options: ['pizza', 'sushi'], maxSelection: 1 });
      const creation = (await received(BOB, poll.messageId)).message;
      const pollMessage = creation.pollCreationMessageV3 ?? creation.pollCreationMessage ?? creation.pollCreationMessageV2;
      assert.deepEqual(pollMessage.options.map((o: any) => o.optionName), ['pizza', 'sushi']);
      const buttons = await send('button', { to: BOB, text: 'Pick one', buttons: [{ type: 'reply', displayText: 'Yes', id: 'y' }, { type: 'url', displayText: 'Site', url: 'https://example.com' }] });
      assert.equal(buttons.status, 200, JSON.stringify(buttons.body));
      await received(BOB, buttons.body.results[0].messageId);
      const list = await send('list', { to: BOB, text: 'Menu', list: { buttonText: 'Open', sections: [{ title: 'Food', rows: [{ id: 'p', title: 'Pizza' }] }] } });
      assert.equal(list.status, 200, JSON.stringify(list.body));
      await received(BOB, list.body.results[0].messageId);
    });

    test('message actions: react, unreact, edit, star, unstar, delete for me and revoke act on the stored message', async () => {
      const sent = await sentOk('text', { to: BOB, message: 'to be changed' });
      await received(BOB, sent.messageId);
      const react = await action('POST', sent.messageId, 'reaction', { to: BOB, emoji: '👍' });
      assert.equal(react.status, 200, JSON.stringify(react.body));
      assert.equal(react.body.results[0].status, 'message reacted success');
      await eventually(async () => (await sb.ok<{ messages: any[] }>('GET', `/sandbox/v1/accounts/${BOB}/messages`)).messages.find((m) => m.message?.reactionMessage?.key?.id === sent.messageId && m.message.reactionMessage.text === '👍'), { what: 'the reaction at the phone' });
      assert.equal((await action('POST', sent.messageId, 'unreaction', { to: BOB })).status, 200);
      const edit = await action('POST', sent.messageId, 'edit', { to: BOB, message: 'changed' });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      for (const name of ['star', 'unstar']) assert.equal((await action('POST', sent.messageId, name, { to: BOB })).status, 200);
      const stored = await gw.request('GET', `/api/v1/messages/${sent.messageId}?sessionId=${SESSION}`);
      assert.equal(stored.body.results[0].text, 'changed');
      const revoke = await action('POST', sent.messageId, 'revoke', { to: BOB });
      assert.equal(revoke.status, 200, JSON.stringify(revoke.body));
      assert.equal((await action('POST', sent.messageId, 'edit', { to: BOB, message: 'again' })).status, 409);
      assert.equal((await action('DELETE', sent.messageId, 'delete', { to: BOB })).status, 200);
    });

    test('inbound: a phone message arrives as a signed message_received; its image is fetchable through the signed URL; read marks it', async () => {
      const { id } = await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'hi Alice' });
      const event = await eventually(() => receiver.events('message_received').find((e) => e.body.data.messageId === id), { what: 'message_received' });
      assert.equal(event.body.data.text, 'hi Alice');
      assert.equal(event.body.data.sender.pn, `${BOB}@s.whatsapp.net`);
      assert.ok(event.body.data.sender.lid?.endsWith('@lid'));
      assert.equal(event.body.data.fromMe, false);
      const read = await action('POST', id, 'mark-as-read', { to: BOB });
      assert.equal(read.status, 200, JSON.stringify(read.body));

      const photo = await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, image: { base64: SMALL_PNG.toString('base64'), mimetype: 'image/png', caption: 'photo' } });
      const withMedia = await eventually(() => receiver.events('message_received').find((e) => e.body.data.messageId === photo.id), { what: 'the image message' });
      const media = withMedia.body.data.media;
      assert.equal(media.mimetype, 'image/png');
      const download = await fetch(media.url);
      assert.equal(download.status, 200);
      assert.deepEqual(Buffer.from(await download.arrayBuffer()), SMALL_PNG);
    });

    test('bad input gets a clear 4xx and sends nothing', async () => {
      // An unreachable media URL is the one 5xx: the host, not the request, is at fault (retry later).
      const cases: [string, Record<string, unknown>, number, RegExp][] = [
        ['text', { to: BOB, message: '' }, 400, /message is required/],
        ['text', { to: NOBODY, message: 'hi' }, 400, new RegExp(`not on WhatsApp: ${NOBODY}`)],
        ['text', { to: 'not-a-number', message: 'hi' }, 400, /to/],
        ['poll', { to: BOB, question: 'Q', options: ['one'] }, 400, /2 to 12/],
        ['poll', { to: BOB, question: 'Q', options: ['a', 'a'] }, 400, /distinct/],
        ['button', { to: BOB, text: 'T', buttons: [1, 2, 3, 4].map((n) => ({ displayText: `b${n}` })) }, 400, /at most 3/],
        ['list', { to: BOB, text: 'T', list: { buttonText: 'Open', sections: [{ title: 'x', rows: [] }] } }, 400, /at least one row/],
        ['location', { to: BOB, location: { latitude: 91, longitude: 0 } }, 400, /latitude/],
        ['media', { to: BOB, media: 'data:image/png;base64,@@@' }, 400, /base64/],
        ['media', { to: BOB, media: '/etc/passwd' }, 400, /path/],
        ['media', { to: BOB, media: 'http://127.0.0.1:1/x.png' }, 502, /could not be reached/],
        ['media', { to: BOB, media: 'data:application/pdf;base64,' + Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF').toString('base64') }, 415, /image or a video/]
      ];
      for (const [route, body, status, message] of cases) {
        const answer = await send(route, body);
        assert.equal(answer.status, status, `${route} ${JSON.stringify(body).slice(0, 80)} → ${JSON.stringify(answer.body)}`);
        assert.match(answer.body.message, message);
      }
      const unknown = await action('POST', 'NOSUCHMESSAGE', 'reaction', { to: BOB, emoji: '👍' });
      assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
      const notOneEmoji = await action('POST', 'NOSUCHMESSAGE', 'reaction', { to: BOB, emoji: 'ok' });
      assert.equal(notOneEmoji.status, 400);
      const { id } = await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'from Bob' });
      await eventually(async () => ((await gw.request('GET', `/api/v1/messages/${id}?sessionId=${SESSION}`)).status === 200 ? true : undefined), { what: 'stored' });
      const editTheirs = await action('POST', id, 'edit', { to: BOB, message: 'mine now' });
      assert.equal(editTheirs.status, 403, JSON.stringify(editTheirs.body));
    });
  });
}
