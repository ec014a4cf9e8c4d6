import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { downloadMediaMessage } from 'baileys';
import type { RunningSandbox } from './index.js';
import { control, phoneMessage, pn, upsertOf, useSandbox } from '../../test/support/sandbox-fixture.js';
import { mediaDownloadOptions, type RawClient } from '../../test/support/raw-client.js';
import { SMALL_PNG } from '../../test/support/images.js';

const ALICE = '15550606001';
const BOB = '15550606002';
const bobJid = pn(BOB);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const fixture = useSandbox({ accounts: { [BOB]: 'Bob' }, linked: [[ALICE, 'Alice']], media: true });
let sb: RunningSandbox;
let alice: RawClient;
before(async () => ({ sb, clients: [alice] } = await fixture.ready));

test('image, document and audio uploads from a raw client are downloaded and decrypted by the simulated phone', async () => {
  const document = Buffer.from('quarterly numbers\n'.repeat(100));
  const audio = Buffer.from(Array.from({ length: 4000 }, (_, i) => i % 251));
  const sends = [
    await alice.sock!.sendMessage(bobJid, { image: SMALL_PNG, mimetype: 'image/png', caption: 'a picture' }),
    await alice.sock!.sendMessage(bobJid, { document, mimetype: 'text/plain', fileName: 'numbers.txt' }),
    await alice.sock!.sendMessage(bobJid, { audio, mimetype: 'audio/ogg; codecs=opus', seconds: 1 })
  ];
  const expected = [
    { type: 'imageMessage', mimetype: 'image/png', bytes: SMALL_PNG },
    { type: 'documentMessage', mimetype: 'text/plain', bytes: document },
    { type: 'audioMessage', mimetype: 'audio/ogg; codecs=opus', bytes: audio }
  ];
  for (const [i, sent] of sends.entries()) {
    const received = await phoneMessage(sb, BOB, (m) => m.id === sent!.key.id, expected[i]!.type);
    assert.equal(received.type, expected[i]!.type);
    const { mimetype, size, sha256: hash, verified } = received.media;
    assert.deepEqual({ mimetype, size, sha256: hash, verified }, { mimetype: expected[i]!.mimetype, size: expected[i]!.bytes.length, sha256: sha256(expected[i]!.bytes), verified: true });
  }
  const image = await phoneMessage(sb, BOB, (m) => m.id === sends[0]!.key.id);
  assert.equal(image.text, 'a picture');
});

test("a simulated phone's image is uploaded encrypted and a raw client downloads it", async () => {
  const sent = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, {
    to: ALICE,
    image: { base64: SMALL_PNG.toString('base64'), mimetype: 'image/png', caption: 'from the phone' }
  });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const { message } = await upsertOf(alice, sent.body.id, (m) => !!m.message?.imageMessage);
  assert.equal(message.message?.imageMessage?.caption, 'from the phone');
  assert.ok(message.message?.imageMessage?.url?.startsWith(sb.mediaUrl));
  const bytes = await downloadMediaMessage(message, 'buffer', await mediaDownloadOptions(sb.mediaCaPem));
  assert.deepEqual(bytes, SMALL_PNG);
});
