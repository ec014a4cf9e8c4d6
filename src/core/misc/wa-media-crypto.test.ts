import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { GatewayError } from '../errors.js';
import { decryptMedia, mediaKeys, mediaKindOf, MEDIA_KINDS, type MediaKind } from './wa-media-crypto.js';

// Encrypted by Baileys 7.0.0-rc14's own encryptedStream (the vectors were generated once with it; src/ tests may
// not import baileys). test/contract/warest-misc.test.ts decrypts fresh Baileys output through the API.
const PLAIN = 'Waygate media vector: hello, WhatsApp!\n';
const BAILEYS = {
  image: {
    mediaKey: 'H4cEeKFZR0qyv3WctWoQHqwnZU+IWQWg7bQTAvr/4tg=',
    enc: 'Vze9pJcNN68ToGg2T5ew9TMjBX/0m1+uuk7T9dcvMn0UC5ggOxPptJMrBqr8H/ZZMYJf+O6mKW5naQ==',
    fileEncSha256: 'K2ea3FyoQP/TSy9YROY01c8dVdJOrEi9CasO35VxWdo='
  },
  document: {
    mediaKey: 'X/2cSytSl7o0CgGPojYS2z5WcsRp1VQLIac6tcBQ1h0=',
    enc: 'Ofxkz/1//BzF0joZ2jC9Y4OupKv+79vrrF/VbcP6/JPMJg9hWvY7TiYfDItssmFkaJSOeloJ5GvejA==',
    fileEncSha256: 'GL7rmXZOyzrHOYI2Oln3mb/Bw1aXo9EOZRvkq2QxZz8='
  }
};
const FILE_SHA256 = 'GaFsP7i9wmrLB4tq9RLBLcTCVdRmOBDWhv1iaUsbf/4=';
const b64 = (text: string) => Buffer.from(text, 'base64');

/** What a WhatsApp client uploads: AES-256-CBC ciphertext ‖ 10-byte MAC. */
function encrypt(plain: Buffer, mediaKey: Buffer, kind: MediaKind): Buffer {
  const { iv, cipherKey, macKey } = mediaKeys(mediaKey, kind);
  const cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([ciphertext, createHmac('sha256', macKey).update(iv).update(ciphertext).digest().subarray(0, 10)]);
}

const code = (name: string, status: number) => (err: unknown) => err instanceof GatewayError && err.code === name && err.status === status;

describe('WhatsApp media decryption', () => {
  it('decrypts what Baileys encrypted, for the named type and by trying every type', () => {
    for (const kind of ['image', 'document'] as const) {
      const vector = BAILEYS[kind];
      const named = decryptMedia(b64(vector.enc), b64(vector.mediaKey), [kind], b64(FILE_SHA256));
      assert.equal(named.bytes.toString(), PLAIN);
      assert.equal(named.fileSha256, FILE_SHA256);
      assert.equal(named.fileEncSha256, vector.fileEncSha256);
      const guessed = decryptMedia(b64(vector.enc), b64(vector.mediaKey), MEDIA_KINDS);
      assert.equal(guessed.kind, kind);
      assert.equal(guessed.bytes.toString(), PLAIN);
    }
  });

  it('refuses a wrong key, a wrong type, a corrupted file and a wrong fileSha256 with 422', () => {
    const { enc, mediaKey } = BAILEYS.image;
    assert.throws(() => decryptMedia(b64(enc), randomBytes(32), ['image']), code('UNPROCESSABLE_ENTITY', 422));
    assert.throws(() => decryptMedia(b64(enc), b64(mediaKey), ['video']), /media type is wrong/);
    const corrupted = b64(enc);
    corrupted[3]! ^= 1;
    assert.throws(() => decryptMedia(corrupted, b64(mediaKey), MEDIA_KINDS), /MAC does not match/);
    assert.throws(() => decryptMedia(b64(enc), b64(mediaKey), ['image'], Buffer.alloc(32)), /fileSha256/);
  });

  it('refuses a key that is not 32 bytes and a file that is not an .enc file with 4xx', () => {
    assert.throws(() => decryptMedia(b64(BAILEYS.image.enc), Buffer.alloc(16), ['image']), code('INVALID_PARAMETER', 400));
    assert.throws(() => decryptMedia(Buffer.from('not encrypted at all'), randomBytes(32), ['image']), code('UNPROCESSABLE_ENTITY', 422));
  });

  it('round-trips every kind and large files', () => {
    const plain = randomBytes(100_003);
    for (const kind of MEDIA_KINDS) {
      const key = randomBytes(32);
      const result = decryptMedia(encrypt(plain, key, kind), key, [kind]);
      assert.ok(result.bytes.equals(plain), kind);
      assert.equal(result.fileSha256, createHash('sha256').update(plain).digest('base64'));
    }
  });

  it('tells the kind from a type or a MIME type', () => {
    assert.equal(mediaKindOf('image/jpeg'), 'image');
    assert.equal(mediaKindOf('image/webp'), 'image');
    assert.equal(mediaKindOf('image/gif'), 'gif');
    assert.equal(mediaKindOf('audio/ogg; codecs=opus'), 'audio');
    assert.equal(mediaKindOf('application/pdf'), 'document');
    assert.equal(mediaKindOf('Sticker'), 'sticker');
    assert.equal(mediaKindOf('voice'), 'ptt');
    assert.equal(mediaKindOf('nonsense'), undefined);
  });
});
