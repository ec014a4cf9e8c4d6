// Contract: the 12 send and 8 message actions exactly as the WARest n8n node sends them (api-compat §1.2-1.6:
// JSON bodies including DELETE, message options copied into the body, binary media as data URIs, the message id
// URI-encoded in the path, both auth headers), each answered in the WARest envelope with the result fields of
// §4.3, and checked at the recipient phone (what it decrypted).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, linkSession } from '../support/gateway-harness.js';
import { SMALL_PNG, toneWav } from '../support/images.js';
import { enveloped, hasFields, n8nCall } from '../support/n8n-node.js';

// [operation, method, route, fields] as in the node (api-compat §1.3 rows 9-20 and 31-38).
const MESSAGE_ACTIONS = [
  ['sendText', 'POST', '/messages/send/text', ['sessionId', 'to', 'message']],
  ['sendFiles', 'POST', '/messages/send/files', ['sessionId', 'to', 'files']],
  ['sendMedia', 'POST', '/messages/send/media', ['sessionId', 'to', 'media']],
  ['sendDocument', 'POST', '/messages/send/document', ['sessionId', 'to', 'document']],
  ['sendAudio', 'POST', '/messages/send/audio', ['sessionId', 'to', 'audio']],
  ['sendGif', 'POST', '/messages/send/gif', ['sessionId', 'to', 'gif']],
  ['sendSticker', 'POST', '/messages/send/sticker', ['sessionId', 'to', 'sticker']],
  ['sendButton', 'POST', '/messages/send/button', ['sessionId', 'to', 'text', 'buttons']],
  ['sendList', 'POST', '/messages/send/list', ['sessionId', 'to', 'text']],
  ['sendLocation', 'POST', '/messages/send/location', ['sessionId', 'to', 'location']],
  ['sendPoll', 'POST', '/messages/send/poll', ['sessionId', 'to', 'question', 'options']],
  ['sendContact', 'POST', '/messages/send/contact', ['sessionId', 'to', 'contact']],
  ['deleteMessage', 'DELETE', '/messages/{messageId}/action/delete', ['sessionId', 'to']],
  ['editMessage', 'POST', '/messages/{messageId}/action/edit', ['sessionId', 'to', 'message']],
  ['markMessageRead', 'POST', '/messages/{messageId}/action/mark-as-read', ['sessionId', 'to']],
  ['reactToMessage', 'POST', '/messages/{messageId}/action/reaction', ['sessionId', 'to', 'emoji']],
  ['removeReaction', 'POST', '/messages/{messageId}/action/unreaction', ['sessionId', 'to']],
  ['revokeMessage', 'POST', '/messages/{messageId}/action/revoke', ['sessionId', 'to']],
  ['starMessage', 'POST', '/messages/{messageId}/action/star', ['sessionId', 'to']],
  ['unstarMessage', 'POST', '/messages/{messageId}/action/unstar', ['sessionId', 'to']]
] as const;

type Operation = (typeof MESSAGE_ACTIONS)[number][0];

const ALICE = '15559990001';
const BOB = '15559990002';
const SESSION = 'contract-messages';
const PNG_URI = `data:image/png;base64,${SMALL_PNG.toString('base64')}`;
const GIF_URI = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==';

const SEND_RESULT = ['phone', 'to', 'toJid', 'messageId', 'status', 'timestamp', 'advancedInfo'];
const ACTION_RESULT = ['sessionId', 'phone', 'to', 'toJid', 'messageId', 'status'];

for (const dialect of DIALECTS) {
  describe(`${dialect}: WARest n8n contract, messages`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let apiKey: string;
    const seen = new Set<Operation>();
    const call = (operation: Operation, values: Record<string, unknown>, options?: Record<string, unknown>) => {
      seen.add(operation);
      return n8nCall(MESSAGE_ACTIONS, gw.url, apiKey, operation, { sessionId: SESSION, to: BOB, ...values }, { extra: options });
    };
    const atPhone = (id: string) =>
      eventually(async () => (await sb.ok<{ messages: any[] }>('GET', `/sandbox/v1/accounts/${BOB}/messages`)).messages.find((m) => m.id === id), { what: `message ${id} at the phone` });
    const sent = async (operation: Operation, values: Record<string, unknown>, status: string, options?: Record<string, unknown>) => {
      const result = enveloped(operation, await call(operation, values, options));
      hasFields(operation, result, SEND_RESULT);
      assert.equal(result.status, status, operation);
      assert.equal(result.to, BOB);
      return { result, message: (await atPhone(result.messageId)).message };
    };

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      apiKey = (await gw.request('POST', '/api/v1/keys', { body: { name: 'n8n' } })).body.results[0].key;
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: BOB });
      await linkSession(new ApiClient(gw.url, apiKey), sb, SESSION, ALICE);
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test('the 12 send actions and the 8 message actions', async () => {
      const text = await sent('sendText', { message: 'hello from n8n' }, 'text success', { presence: false, isForwarded: 'true' });
      assert.equal(text.message.extendedTextMessage.contextInfo.isForwarded, true);
      const reply = await sent('sendText', { message: 'a reply' }, 'text success', { replyMessageId: text.result.messageId });
      assert.equal(reply.message.extendedTextMessage.contextInfo.stanzaId, text.result.messageId);

      const files = enveloped('sendFiles', await call('sendFiles', { files: [{ file: PNG_URI, filename: 'pic.png', binaryFile: true }, { file: 'data:text/plain;base64,' + Buffer.from('notes').toString('base64'), filename: 'notes.txt' }] }), 200, 1000, undefined, 2);
      hasFields('sendFiles', files, SEND_RESULT);
      assert.ok((await atPhone(files.messageId)).message.imageMessage);

      const media = await sent('sendMedia', { media: PNG_URI }, 'image success', { caption: 'cap', compress: false, viewOnce: false });
      assert.equal(media.message.imageMessage.caption, 'cap');
      const doc = await sent('sendDocument', { document: 'data:application/octet-stream;base64,' + Buffer.from([1, 2, 3]).toString('base64') }, 'document success', { filename: 'blob.bin' });
      assert.equal(doc.message.documentMessage.fileName, 'blob.bin');
      const audio = await sent('sendAudio', { audio: `data:audio/wav;base64,${toneWav().toString('base64')}` }, 'ptt success', { isVN: true });
      assert.equal(audio.message.audioMessage.ptt, true);
      const gif = await sent('sendGif', { gif: GIF_URI }, 'gif success');
      assert.equal(gif.message.videoMessage.gifPlayback, true);
      const sticker = await sent('sendSticker', { sticker: PNG_URI }, 'sticker success');
      assert.equal(sticker.message.stickerMessage.mimetype, 'image/webp');
      await sent('sendButton', { text: 'Choose', buttons: [{ type: 'reply', displayText: 'Yes', id: 'yes' }] }, 'interactive button success', { footer: 'f' });
      await sent('sendList', { text: 'Menu' }, 'interactive list success', { list: { buttonText: 'Open', sections: [{ title: 'S', rows: [{ id: 'r1', title: 'Row 1' }] }] } });
      const location = await sent('sendLocation', { location: { latitude: -33.86, longitude: 151.21, name: 'Sydney' } }, 'location success');
      assert.equal(location.message.locationMessage.name, 'Sydney');
      await sent('sendPoll', { question: 'Tea or coffee?', options: ['tea', 'coffee'] }, 'poll success', { maxSelection: 1 });
      const contact = await sent('sendContact', { contact: { fullName: 'Zed', phone: '15550001234' } }, 'contact success');
      assert.match(contact.message.contactMessage.vcard, /FN:Zed/);

      const id = text.result.messageId;
      for (const [operation, values, status] of [
        ['reactToMessage', { emoji: '🎉' }, 'message reacted success'],
        ['removeReaction', {}, 'message unreacted success'],
        ['starMessage', {}, 'message starred success'],
        ['unstarMessage', {}, 'message unstarred success'],
        ['markMessageRead', {}, 'message read success'],
        ['editMessage', { message: 'hello, edited' }, 'message edited success'],
        ['revokeMessage', {}, 'message revoked success'],
        ['deleteMessage', {}, 'message deleted success']
      ] as const) {
        const result = enveloped(operation, await call(operation, { messageId: id, ...values }));
        hasFields(operation, result, ACTION_RESULT);
        assert.equal(result.status, status, operation);
      }
      const unknown = await call('starMessage', { messageId: 'NOT/A@MESSAGE' });
      assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
      assert.equal(unknown.body.code, 2601);

      assert.deepEqual([...seen].sort(), MESSAGE_ACTIONS.map(([op]) => op).sort(), 'every message action was exercised');
    });
  });
}
