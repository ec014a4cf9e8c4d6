// Inbound normalisation details the sandbox phones do not produce: mentions by LID, forwarded marks, media behind
// view-once, ephemeral and document-with-caption wrappers; and the raw JSON form and its way back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateWAMessageFromContent, proto, type WAMessage } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import { testLogger } from '../testing/test-logger.js';
import { JidResolver } from './jid-resolver.js';
import { normaliseMessage } from './message-content.js';
import { messageFromRaw, toRawJson } from './raw-message.js';

const BOB = { pn: '15550030002@s.whatsapp.net', lid: '90000000000002@lid' };
const CAROL = { pn: '15550030003@s.whatsapp.net', lid: '90000000000003@lid' };
const PEOPLE = [BOB, CAROL];

const resolver = new JidResolver({
  lidMapping: () =>
    ({
      getPNsForLIDs: async (lids: string[]) => PEOPLE.filter((p) => lids.includes(p.lid)),
      getLIDsForPNs: async (pns: string[]) => PEOPLE.filter((p) => pns.includes(p.pn))
    }) as never,
  logger: testLogger
});

const received = (message: proto.IMessage): WAMessage => ({ key: { remoteJid: BOB.pn, fromMe: false, id: 'IN1' }, messageTimestamp: 1_700_000_000, message });
const bytes = Buffer.from('the file');
const sha = createHash('sha256').update(bytes).digest();

test('mentions (a LID becomes the PN), the forwarded mark, the quote and view-once media inside an ephemeral wrapper', async () => {
  // fromObject, as a decoded message has it: fileLength a protobuf Long
  const imageMessage = proto.Message.ImageMessage.fromObject({
    caption: 'Look @Carol',
    mimetype: 'image/jpeg',
    fileLength: 8,
    fileSha256: sha,
    contextInfo: { mentionedJid: [CAROL.lid], isForwarded: true, forwardingScore: 2, stanzaId: 'Q1' }
  });
  const message = await normaliseMessage(received({ ephemeralMessage: { message: { viewOnceMessageV2: { message: { imageMessage } } } } }), null, resolver);
  assert.deepEqual(
    { type: message?.type, text: message?.text, mentions: message?.mentions, forwarded: message?.forwarded, quotedId: message?.quotedId, sender: message?.sender },
    { type: 'image', text: 'Look @Carol', mentions: [CAROL.pn], forwarded: true, quotedId: 'Q1', sender: { jid: BOB.pn, lid: BOB.lid, pn: BOB.pn } }
  );
  assert.deepEqual(message?.media, {
    kind: 'image',
    mimetype: 'image/jpeg',
    fileName: null,
    size: 8,
    sha256: sha.toString('hex'),
    seconds: null,
    voiceNote: false,
    gifPlayback: false,
    viewOnce: true
  });
});

test('documents with a caption, voice notes and GIFs', async () => {
  const document = await normaliseMessage(
    received({ documentWithCaptionMessage: { message: { documentMessage: { fileName: 'terms.pdf', caption: 'Read me', mimetype: 'application/pdf' } } } }),
    null,
    resolver
  );
  assert.deepEqual({ type: document?.type, text: document?.text, kind: document?.media?.kind, fileName: document?.media?.fileName }, { type: 'document', text: 'Read me', kind: 'document', fileName: 'terms.pdf' });
  const voice = await normaliseMessage(received({ audioMessage: { ptt: true, seconds: 4, mimetype: 'audio/ogg; codecs=opus' } }), null, resolver);
  assert.deepEqual({ kind: voice?.media?.kind, voiceNote: voice?.media?.voiceNote, seconds: voice?.media?.seconds }, { kind: 'audio', voiceNote: true, seconds: 4 });
  const gif = await normaliseMessage(received({ videoMessage: { gifPlayback: true, mimetype: 'video/mp4' } }), null, resolver);
  assert.deepEqual({ kind: gif?.media?.kind, gifPlayback: gif?.media?.gifPlayback }, { kind: 'video', gifPlayback: true });
  const text = await normaliseMessage(received({ conversation: 'plain' }), null, resolver);
  assert.deepEqual({ media: text?.media, mentions: text?.mentions, forwarded: text?.forwarded }, { media: null, mentions: [], forwarded: false });
});

test('a bare sender-key distribution is no message', async () => {
  const skdm = received({ senderKeyDistributionMessage: { groupId: '1203@g.us', axolotlSenderKeyDistributionMessage: Buffer.from([1]) } });
  assert.equal(await normaliseMessage(skdm, null, resolver), null);
});

test('raw JSON: bytes as base64, 64-bit numbers and enums as numbers, and back to the same message', () => {
  const content = proto.Message.fromObject({ imageMessage: { caption: 'x', fileSha256: sha, fileLength: 12_345 } });
  const message = generateWAMessageFromContent(BOB.pn, content, { userJid: '15550030001@s.whatsapp.net', messageId: 'ID1' });
  const raw = toRawJson(message) as { messageTimestamp: unknown; status: unknown; message: { imageMessage: { fileSha256: unknown; fileLength: unknown } } };
  assert.equal(typeof raw.messageTimestamp, 'number');
  assert.equal(raw.status, proto.WebMessageInfo.Status.PENDING);
  assert.deepEqual(raw.message.imageMessage, { caption: 'x', fileSha256: sha.toString('base64'), fileLength: 12_345 });
  const back = messageFromRaw(JSON.parse(JSON.stringify(raw)));
  assert.equal(back.key.id, 'ID1');
  assert.ok(Buffer.from(back.message!.imageMessage!.fileSha256!).equals(sha));
  assert.throws(() => messageFromRaw('not a message'), EngineInvalidArgumentError);
  assert.throws(() => messageFromRaw({ message: { conversation: 'no key' } }), EngineInvalidArgumentError);
});
