// Contract: the 13 Miscellaneous actions exactly as the WARest n8n node sends them (api-compat §1.3 rows 78-90,
// §1.4: the option groups flattened into the body, later groups overwriting equal keys, empty values dropped,
// Crypto's cryptoOutput sent as output, Image Processing sent as actions{resize, convert, compress}, the target
// URI-encoded in the path, both auth headers), each answered in the WARest envelope with real results: QR images
// checked by their bytes, hash vectors, files Baileys encrypted decrypted back, a vote a sandbox phone encrypted.
// The stateless actions run once (SQLite); the ones that need a session's store or WhatsApp on both dialects.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encryptedStream } from 'baileys';
import sharp from 'sharp';
import { ffmpegPath } from '../../src/core/media/ffmpeg.js';
import { encryptVote } from '../../src/sandbox/routing/poll-votes.js';
import { ApiClient, DIALECTS, TestDatabase, TestGateway, TestSandbox, linkSession } from '../support/gateway-harness.js';
import { SMALL_PNG } from '../support/images.js';
import { enveloped, n8nCall, sanitize, type Fields, type N8nAnswer } from '../support/n8n-node.js';

// [operation, route, table fields] as in the node (OPERATION_CONFIG, misc:*); every one is a POST.
const MISC_ACTIONS = {
  convertStringToQr: ['/misc/convert-string-toqr/{target}', ['string']],
  base64: ['/misc/base64', ['action', 'input']],
  cryptoHash: ['/misc/crypto/hash', ['input']],
  cryptoHmac: ['/misc/crypto/hmac', ['key', 'input']],
  thumbnail: ['/misc/media/thumbnail', ['file', 'type']],
  processImage: ['/misc/media/image', ['file']],
  uuidGenerate: ['/misc/uuid/generate', []],
  uuidValidate: ['/misc/uuid/validate', ['value']],
  decryptWhatsappFile: ['/misc/whatsapp/file-decrypt', ['mediaKey', 'file']],
  decryptPollVote: ['/misc/whatsapp/poll-update-vote', ['sessionId', 'pollUpdateVote']],
  validatePhone: ['/misc/whatsapp/validate/phone', ['phone']],
  validateJid: ['/misc/whatsapp/validate/jid', ['jid']],
  resolveJidOrLid: ['/misc/whatsapp/resolve/jid-or-lid', ['input']]
} as const;
type Operation = keyof typeof MISC_ACTIONS;
type Group = Fields;

const ALICE = '4915123450001';
const BOB = '4915123450002';
const SESSION = 'contract-misc';
const PNG_URI = `data:image/png;base64,${SMALL_PNG.toString('base64')}`;

// The table as the shared harness reads it: [operation, method, route, fields].
const MISC_TABLE = (Object.entries(MISC_ACTIONS) as [Operation, (typeof MISC_ACTIONS)[Operation]][]).map(([operation, [route, fields]]) => [operation, 'POST', route, fields] as const);

/** The node's own touches to the misc bodies: Crypto's cryptoOutput sent as output, Image Processing as actions{resize, convert, compress}. */
function reshapeMisc(operation: string, body: Group, additional: Group): void {
  if ((operation === 'cryptoHash' || operation === 'cryptoHmac') && additional.cryptoOutput) {
    body.output = additional.cryptoOutput;
    delete body.cryptoOutput;
  }
  if (operation === 'processImage') {
    const resize = sanitize({ width: additional.resizeWidth || undefined, height: additional.resizeHeight || undefined, fit: additional.fit });
    const actions = sanitize({ ...(Object.keys(resize).length ? { resize } : {}), convert: additional.convert, ...(additional.quality ? { compress: { quality: additional.quality } } : {}) });
    if (Object.keys(actions).length) body.actions = actions;
    for (const key of ['convert', 'resizeWidth', 'resizeHeight', 'fit', 'quality']) delete body[key];
  }
}

/** The node's request: table fields, then the Additional Fields groups flattened in order (flattenFixedCollection). */
const miscCall = (baseUrl: string, apiKey: string, operation: Operation, values: Group, groups: Group[] = []) =>
  n8nCall(MISC_TABLE, baseUrl, apiKey, operation, values, { extra: groups, reshape: reshapeMisc });

/** A 4xx in the envelope whose message says `hint`. */
function refused(operation: string, answer: N8nAnswer, status: number, code: number, hint: RegExp): void {
  enveloped(operation, answer, status, code);
  assert.match(answer.body.message, hint, operation);
}

const bytesOf = (data: string) => Buffer.from(data.replace(/^data:[^,]*,/, ''), 'base64');

/** A short H.264 MP4 (3 s test pattern) made with the ffmpeg the gateway uses. */
async function testVideo(): Promise<Buffer> {
  const file = join(tmpdir(), `waygate-misc-${process.pid}.mp4`);
  await new Promise<void>((resolve, reject) => {
    void ffmpegPath().then((binary) => {
      const child = spawn(binary, ['-hide_banner', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', file], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
    }, reject);
  });
  try {
    return await readFile(file);
  } finally {
    await rm(file, { force: true });
  }
}

/** Bytes Baileys encrypted as WhatsApp media of `type`. */
async function baileysEncrypted(plain: Buffer, type: 'image' | 'document' | 'audio') {
  const result = await encryptedStream(plain, type);
  try {
    return { enc: await readFile(result.encFilePath), mediaKey: result.mediaKey.toString('base64'), fileSha256: result.fileSha256.toString('base64') };
  } finally {
    await rm(result.encFilePath, { force: true });
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: WARest n8n contract, miscellaneous`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let apiKey: string;
    let fileServer: Server;
    let fileUrl = '';
    const served = new Map<string, Buffer>();
    const seen = new Set<Operation>();
    const call = (operation: Operation, values: Record<string, unknown> = {}, groups: Group[] = []) => {
      seen.add(operation);
      return miscCall(gw.url, apiKey, operation, values, groups);
    };

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      apiKey = (await gw.request('POST', '/api/v1/keys', { body: { name: 'n8n' } })).body.results[0].key;
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: BOB, name: 'Bob' });
      await linkSession(new ApiClient(gw.url, apiKey), sb, SESSION, ALICE);
      fileServer = createServer((request, response) => {
        const body = served.get(request.url ?? '');
        response.writeHead(body ? 200 : 404, { 'content-type': 'application/octet-stream' }).end(body);
      });
      await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
      fileUrl = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}`;
    });
    after(async () => {
      fileServer?.close();
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    if (dialect === 'sqlite') {
      test('convert string to QR: PNG, JPEG, SVG, data URL and terminal text', async () => {
        const qrGroup = { encoding: 'utf8', output: 'string' };
        const png = enveloped('convertStringToQr', await call('convertStringToQr', { target: 'png', string: 'https://example.com/ä' }, [qrGroup]));
        assert.deepEqual([png.meta.format, png.meta.mimeType, png.meta.mode], ['png', 'image/png', 'base64']);
        const pngBytes = bytesOf(png.data);
        assert.ok(pngBytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG magic');
        assert.equal((await sharp(pngBytes).metadata()).width, 320);
        const jpg = enveloped('convertStringToQr', await call('convertStringToQr', { target: 'jpg', string: 'hello' }));
        assert.ok(bytesOf(jpg.data).subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])), 'JPEG magic');
        const svg = enveloped('convertStringToQr', await call('convertStringToQr', { target: 'svg', string: 'hello' }, [qrGroup]));
        assert.match(svg.data, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg".*<path/s);
        assert.equal(svg.meta.mimeType, 'image/svg+xml');
        const dataUrl = enveloped('convertStringToQr', await call('convertStringToQr', { target: 'base64', string: 'hello' }));
        assert.match(dataUrl.data, /^data:image\/png;base64,iVBORw0KGgo/);
        const terminal = enveloped('convertStringToQr', await call('convertStringToQr', { target: 'terminal', string: 'hello' }));
        assert.match(terminal.data, /[▀▄█]/);
        const bytes = enveloped('convertStringToQr', await call('convertStringToQr', { target: 'png', string: 'AAEC/w==' }, [{ encoding: 'base64', output: 'url' }]));
        assert.match(bytes.data, /^data:image\/png;base64,/, 'output url answers a data URL');

        refused('convertStringToQr', await call('convertStringToQr', { target: 'gif', string: 'x' }), 400, 2002, /png, jpg, jpeg, webp, svg/);
        refused('convertStringToQr', await call('convertStringToQr', { target: 'png', string: '' }), 400, 2001, /string is required/);
        refused('convertStringToQr', await call('convertStringToQr', { target: 'png', string: 'x'.repeat(5000) }), 400, 2002, /too long for a QR code/);
        refused('convertStringToQr', await call('convertStringToQr', { target: 'png', string: 'x' }, [{ encoding: 'ebcdic' }]), 400, 2002, /utf8, ascii, latin1, base64 or hex/);
      });

      test('base64 helper: encode, decode, malformed input', async () => {
        const encoded = enveloped('base64', await call('base64', { action: 'encode', input: 'héllo wörld' }));
        assert.equal(encoded.data, Buffer.from('héllo wörld').toString('base64'));
        const decoded = enveloped('base64', await call('base64', { action: 'decode', input: encoded.data }));
        assert.deepEqual([decoded.data, decoded.meta.mode], ['héllo wörld', 'string']);
        const png = enveloped('base64', await call('base64', { action: 'decode', input: SMALL_PNG.toString('base64') }));
        assert.equal(png.data, PNG_URI, 'binary decodes to a data URL of its sniffed type');
        const fromDataUri = enveloped('base64', await call('base64', { action: 'encode', input: PNG_URI }));
        assert.equal(fromDataUri.data, SMALL_PNG.toString('base64'));
        refused('base64', await call('base64', { action: 'decode', input: 'this is not base64!' }), 400, 2002, /not valid base64/);
        refused('base64', await call('base64', { action: 'decode', input: 'abcde' }), 400, 2002, /not valid base64/);
        refused('base64', await call('base64', { action: 'decode', input: SMALL_PNG.toString('base64') }, [{ output: 'string' }]), 400, 2002, /not UTF-8 text/);
        refused('base64', await call('base64', { action: 'rot13', input: 'x' }), 400, 2002, /encode or decode/);
      });

      test('crypto hash and HMAC: vectors, output encodings, unknown algorithm', async () => {
        const sha = enveloped('cryptoHash', await call('cryptoHash', { input: 'abc' }, [{ algo: 'sha256', cryptoOutput: 'hex' }]));
        assert.equal(sha.data, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
        assert.equal(enveloped('cryptoHash', await call('cryptoHash', { input: 'abc' }, [{ algo: 'md5', cryptoOutput: 'base64' }])).data, 'kAFQmDzST7DWlj99KOF/cg==');
        assert.equal(enveloped('cryptoHash', await call('cryptoHash', { input: 'abc' }, [{ algo: 'SHA-1' }])).data, 'a9993e364706816aba3e25717850c26c9cd0d89d');
        const sha512 = enveloped('cryptoHash', await call('cryptoHash', { input: 'abc' }, [{ algo: 'sha512' }]));
        assert.match(sha512.data, /^ddaf35a193617aba/);
        const ofFile = enveloped('cryptoHash', await call('cryptoHash', { input: PNG_URI }));
        assert.equal(ofFile.meta.inputSize, SMALL_PNG.length);
        const mac = enveloped('cryptoHmac', await call('cryptoHmac', { key: 'Jefe', input: 'what do ya want for nothing?' }, [{ algo: 'sha256', cryptoOutput: 'hex' }]));
        assert.equal(mac.data, '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
        const mac384 = enveloped('cryptoHmac', await call('cryptoHmac', { key: 'Jefe', input: 'what do ya want for nothing?' }, [{ algo: 'sha384' }]));
        assert.match(mac384.data, /^af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e/);
        refused('cryptoHash', await call('cryptoHash', { input: 'abc' }, [{ algo: 'sha999' }]), 400, 2002, /md5, sha1, sha224, sha256, sha384, sha512/);
        refused('cryptoHmac', await call('cryptoHmac', { input: 'abc' }), 400, 2001, /key is required/);
        refused('cryptoHash', await call('cryptoHash', {}), 400, 2001, /input is required/);
      });

      test('thumbnails of an image and of a video', async () => {
        const mediaGroup = { output: 'file', width: 64, height: 48, count: 0, mimeType: '', fileSha256: '' };
        const image = enveloped('thumbnail', await call('thumbnail', { file: PNG_URI, type: 'image' }, [mediaGroup]));
        assert.equal(image.data.length, 1);
        assert.match(image.data[0].thumbnail, /^data:image\/jpeg;base64,/);
        const meta = await sharp(bytesOf(image.data[0].thumbnail)).metadata();
        assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 64, 48]);

        served.set('/clip.mp4', await testVideo());
        const video = enveloped('thumbnail', await call('thumbnail', { file: `${fileUrl}/clip.mp4`, type: 'video' }, [{ ...mediaGroup, output: 'base64', count: 2 }]));
        assert.equal(video.data.length, 2);
        assert.deepEqual(video.data.map((t: any) => t.meta.atSeconds), [1, 2]);
        assert.equal((await sharp(bytesOf(video.data[1].thumbnail)).metadata()).width, 64);

        refused('thumbnail', await call('thumbnail', { file: PNG_URI, type: 'audio' }), 400, 2002, /image or video/);
        refused('thumbnail', await call('thumbnail', { file: 'data:image/png;base64,bm90IGFuIGltYWdl', type: 'image' }), 415, 5502, /could not read the file as an image/);
        refused('thumbnail', await call('thumbnail', { file: `data:text/plain;base64,${Buffer.from('just some text, no video').toString('base64')}`, type: 'video' }), 415, 5502, /could not read the video/);
        refused('thumbnail', await call('thumbnail', { file: 'relative/path.png', type: 'image' }), 400, 2002, /data URI .* http\(s\) URL/);
        refused('thumbnail', await call('thumbnail', { file: `${fileUrl}/missing.png`, type: 'image' }), 400, 2002, /answered 404/);
      });

      test('process image: resize, convert, compress', async () => {
        const big = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#3366cc' } }).png().toBuffer();
        const file = `data:image/png;base64,${big.toString('base64')}`;
        const processing = { convert: 'webp', resizeWidth: 50, resizeHeight: 40, fit: 'fill', quality: 70 };
        const result = enveloped('processImage', await call('processImage', { file }, [processing]));
        assert.deepEqual(result.details, { format: 'webp', width: 50, height: 40, size: bytesOf(result.data).length });
        assert.deepEqual(result.actionsPerformed, { resized: true, converted: true, compressed: true });
        assert.equal(bytesOf(result.data).subarray(8, 12).toString(), 'WEBP');
        const kept = enveloped('processImage', await call('processImage', { file }, [{ resizeWidth: 100 }]));
        assert.deepEqual([kept.details.format, kept.details.width, kept.details.height], ['png', 100, 50]);
        refused('processImage', await call('processImage', { file }, [{ fit: 'stretch', resizeWidth: 10 }]), 400, 2002, /cover, contain, fill, inside, outside/);
        refused('processImage', await call('processImage', { file }, [{ convert: 'bmp' }]), 400, 2002, /png, jpg, jpeg, webp/);
        refused('processImage', await call('processImage', { file }, [{ quality: 101 }]), 400, 2002, /quality/);
      });

      test('UUID and ULID: generate each kind, validate, bad version', async () => {
        const uuidGroup = { type: 'uuid', version: 'v5', namespace: 'dns', name: 'www.example.com', format: '', count: 1 };
        assert.deepEqual(enveloped('uuidGenerate', await call('uuidGenerate', {}, [uuidGroup])).data, ['2ed6657d-e927-568b-95e1-2665a8aea6a2']);
        const v4 = enveloped('uuidGenerate', await call('uuidGenerate', {}, [{ type: 'uuid', version: 'v4', count: 3 }]));
        assert.equal(v4.data.length, 3);
        const ulids = enveloped('uuidGenerate', await call('uuidGenerate', {}, [{ type: 'ulid', count: 2, format: 'xxxxxxxxxx-xxxxxxxxxxxxxxxx' }]));
        assert.match(ulids.data[0], /^[0-9A-HJKMNP-TV-Z]{10}-[0-9A-HJKMNP-TV-Z]{16}$/);
        assert.equal(enveloped('uuidGenerate', await call('uuidGenerate')).data.length, 1, 'no options: one v4');
        const checked = enveloped('uuidValidate', await call('uuidValidate', { value: v4.data[0] }));
        assert.deepEqual([checked.data.isValid, checked.data.type, checked.data.version], [true, 'uuid', 'v4']);
        const ulid = enveloped('uuidValidate', await call('uuidValidate', { value: ulids.data[0].replace('-', '') }, [{ type: 'ulid' }]));
        assert.deepEqual([ulid.data.isValid, ulid.data.type], [true, 'ulid']);
        assert.equal(enveloped('uuidValidate', await call('uuidValidate', { value: 'nope' })).data.isValid, false);
        refused('uuidGenerate', await call('uuidGenerate', {}, [{ version: 'v9' }]), 400, 2002, /v1, v3, v4, v5, v6, v7, nil or max/);
        refused('uuidGenerate', await call('uuidGenerate', {}, [{ version: 'v5', namespace: 'dns' }]), 400, 2001, /name is required/);
        refused('uuidGenerate', await call('uuidGenerate', {}, [{ count: 500 }]), 400, 2002, /1 to 100/);
        refused('uuidValidate', await call('uuidValidate', {}), 400, 2001, /value is required/);
      });

      test('decrypt WhatsApp file: what Baileys encrypted, inline and by URL; wrong key and corruption are 4xx', async () => {
        const image = await baileysEncrypted(SMALL_PNG, 'image');
        const encUri = `data:application/octet-stream;base64,${image.enc.toString('base64')}`;
        const mediaGroup = { output: 'base64', mimeType: 'image/png', fileSha256: image.fileSha256 };
        const decrypted = enveloped('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: image.mediaKey, file: encUri }, [mediaGroup]));
        assert.ok(bytesOf(decrypted.data).equals(SMALL_PNG));
        assert.deepEqual([decrypted.meta.mediaType, decrypted.meta.mimeType, decrypted.meta.fileSha256], ['image', 'image/png', image.fileSha256]);

        const doc = await baileysEncrypted(Buffer.from('%PDF-1.4 not really a pdf, but text'), 'document');
        served.set('/doc.enc', doc.enc);
        const byUrl = enveloped('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: doc.mediaKey, file: `${fileUrl}/doc.enc` }, [{ output: 'string' }]));
        assert.deepEqual([byUrl.data, byUrl.meta.mediaType], ['%PDF-1.4 not really a pdf, but text', 'document'], 'no type given: the MAC tells it');

        refused('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: doc.mediaKey, file: encUri }), 422, 2012, /MAC does not match/);
        const misnamed = enveloped('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: image.mediaKey, file: encUri }, [{ mimeType: 'video/mp4' }]));
        assert.equal(misnamed.meta.mediaType, 'image', 'a MIME type only orders the guesses; the MAC decides');
        refused('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: image.mediaKey, file: encUri }, [{ type: 'video' }]), 422, 2012, /media type is wrong/);
        const corrupted = Buffer.from(image.enc);
        corrupted[5]! ^= 0x40;
        refused('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: image.mediaKey, file: `data:application/octet-stream;base64,${corrupted.toString('base64')}` }), 422, 2012, /corrupted/);
        refused('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: image.mediaKey, file: encUri }, [{ fileSha256: doc.fileSha256.replace(/^./, 'A') }]), 422, 2012, /fileSha256/);
        refused('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: 'not a key!', file: encUri }), 400, 2002, /mediaKey is not base64/);
        refused('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: 'AAAA', file: encUri }), 400, 2002, /32 bytes/);
        refused('decryptWhatsappFile', await call('decryptWhatsappFile', { mediaKey: image.mediaKey }), 400, 2001, /file is required/);
      });

      test('validate phone and JID without a session', async () => {
        const phone = enveloped('validatePhone', await call('validatePhone', { phone: '+49 1512 3456789' }));
        assert.deepEqual(
          [phone.data.isValid, phone.data.e164, phone.data.national, phone.data.country, phone.data.type, phone.data.jid, phone.data.exists],
          [true, '+4915123456789', '01512 3456789', 'DE', 'mobile', '4915123456789@s.whatsapp.net', null]
        );
        const national = enveloped('validatePhone', await call('validatePhone', { phone: '0812 3456 7890' }, [{ country: 'ID', sessionId: '' }]));
        assert.equal(national.data.e164, '+6281234567890');
        assert.equal(enveloped('validatePhone', await call('validatePhone', { phone: '+49 12' })).data.isValid, false);
        refused('validatePhone', await call('validatePhone', { phone: '015123456789' }), 400, 2002, /pass country/);
        refused('validatePhone', await call('validatePhone', { phone: '015123456789' }, [{ country: 'Germany' }]), 400, 2002, /ISO 3166/);

        const jid = enveloped('validateJid', await call('validateJid', { jid: '4915123456789:3@c.us' }));
        assert.deepEqual([jid.data.isValid, jid.data.type, jid.data.normalized, jid.data.device], [true, 'user', '4915123456789@s.whatsapp.net', 3]);
        for (const [input, type] of [['81234567890123@lid', 'lid'], ['120363012345678901@g.us', 'group'], ['status@broadcast', 'broadcast'], ['120363111111111111@newsletter', 'newsletter']]) {
          const result = enveloped('validateJid', await call('validateJid', { jid: input }));
          assert.deepEqual([result.data.isValid, result.data.type], [true, type], input);
        }
        const bad = enveloped('validateJid', await call('validateJid', { jid: 'someone@example.com' }));
        assert.deepEqual([bad.data.isValid, bad.data.type], [false, 'unknown']);
        refused('validateJid', await call('validateJid', {}), 400, 2001, /jid is required/);
      });
    }

    test('decrypt poll vote: from the session\'s store, from the request; wrong key and missing data are 4xx', async () => {
      const poll = enveloped('sendPoll', await gw.request('POST', '/api/v1/messages/send/poll', { key: apiKey, body: { sessionId: SESSION, to: BOB, question: 'Lunch?', options: ['pizza', 'sushi', 'salad'] } }));
      const atPhone = await (async () => {
        for (let i = 0; i < 100; i++) {
          const { messages } = await sb.ok<{ messages: any[] }>('GET', `/sandbox/v1/accounts/${BOB}/messages`);
          const found = messages.find((m) => m.id === poll.messageId);
          if (found) return found;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error('poll not at the phone');
      })();
      const secret = Buffer.from(atPhone.message.messageContextInfo.messageSecret, 'base64');
      const aliceJid = `${ALICE}@s.whatsapp.net`;
      const bobJid = `${BOB}@s.whatsapp.net`;
      const encrypted = encryptVote({ pollId: poll.messageId, creatorJid: aliceJid, voterJid: bobJid, secret }, ['sushi', 'salad']);
      const vote = { encPayload: Buffer.from(encrypted.encPayload!).toString('base64'), encIv: Buffer.from(encrypted.encIv!).toString('base64') };
      const pollUpdateVote = { pollCreationMessageKey: { remoteJid: bobJid, fromMe: true, id: poll.messageId }, vote, senderTimestampMs: 1796441497801 };

      const fromStore = enveloped('decryptPollVote', await call('decryptPollVote', { sessionId: SESSION, pollUpdateVote }, [{ voterJid: BOB }]));
      assert.deepEqual(fromStore.votedOptionNames, ['sushi', 'salad']);
      assert.deepEqual(fromStore.votedOptionIndexes, [1, 2]);
      assert.deepEqual([fromStore.pollTitle, fromStore.pollSource, fromStore.pollCreatorJid, fromStore.voterJid, fromStore.timestampMs], ['Lunch?', 'store', aliceJid, bobJid, 1796441497801]);
      assert.equal(fromStore.selectedOptionHashes.length, 2);

      // The whole message as a webhook dump carries it (voter from its key), as a JSON string.
      const whole = JSON.stringify({ key: { remoteJid: bobJid, fromMe: false, id: '3EB0VOTE' }, message: { pollUpdateMessage: pollUpdateVote } });
      assert.deepEqual(enveloped('decryptPollVote', await call('decryptPollVote', { sessionId: SESSION, pollUpdateVote: whole })).votedOptionNames, ['sushi', 'salad']);

      // Without the store: the secret, ids and JIDs from the Poll Decrypt group; names only as hashes.
      const pollDecrypt = { pollEncKey: secret.toString('base64'), pollMsgId: poll.messageId, pollCreatorJid: ALICE, voterJid: bobJid };
      const given = enveloped('decryptPollVote', await call('decryptPollVote', { sessionId: SESSION, pollUpdateVote: { vote } }, [pollDecrypt]));
      assert.deepEqual([given.pollSource, given.votedOptionNames, given.selectedOptionHashes.length], ['request', ['sushi', 'salad'], 2]);

      refused('decryptPollVote', await call('decryptPollVote', { sessionId: SESSION, pollUpdateVote: { vote } }, [{ ...pollDecrypt, pollEncKey: Buffer.alloc(32, 1).toString('base64') }]), 422, 2012, /does not decrypt/);
      refused('decryptPollVote', await call('decryptPollVote', { sessionId: SESSION, pollUpdateVote: { vote } }, [{ ...pollDecrypt, pollMsgId: 'UNKNOWNPOLL', pollEncKey: '' }]), 400, 2001, /pollEncKey is required/);
      refused('decryptPollVote', await call('decryptPollVote', { sessionId: SESSION }), 400, 2001, /pollUpdateVote is required/);
      refused('decryptPollVote', await call('decryptPollVote', { sessionId: SESSION, pollUpdateVote: { pollCreationMessageKey: { id: 'x' } } }), 400, 2001, /has no vote/);
      refused('decryptPollVote', await call('decryptPollVote', { sessionId: 'no-such-session', pollUpdateVote }), 404, 1101, /not found/);
    });

    test('resolve PN ↔ LID, and phone/JID checks on WhatsApp with a session', async () => {
      const validation = { country: '', sessionId: SESSION };
      const pn = enveloped('resolveJidOrLid', await call('resolveJidOrLid', { input: BOB }, [validation]));
      assert.deepEqual([pn.data.isValid, pn.data.type, pn.data.jid, pn.data.resolved], [true, 'jid', `${BOB}@s.whatsapp.net`, true]);
      assert.match(pn.data.lid, /^\d+@lid$/);
      const lid = enveloped('resolveJidOrLid', await call('resolveJidOrLid', { input: pn.data.lid }, [validation]));
      assert.deepEqual([lid.data.type, lid.data.jid, lid.data.lid], ['lid', `${BOB}@s.whatsapp.net`, pn.data.lid]);
      const unknown = enveloped('resolveJidOrLid', await call('resolveJidOrLid', { input: '99999999999999@lid' }, [validation]));
      assert.deepEqual([unknown.data.resolved, unknown.data.jid], [false, null]);
      refused('resolveJidOrLid', await call('resolveJidOrLid', { input: BOB }), 400, 1100, /sessionId is required/);
      // Another user's session is not found, as in WARest's misc routes (it is not revealed with a 403).
      const otherKey = (await gw.request('POST', '/api/v1/keys', { body: { name: 'someone else' } })).body.results[0].key;
      refused('resolveJidOrLid', await miscCall(gw.url, otherKey, 'resolveJidOrLid', { input: BOB }, [validation]), 404, 1101, /not found/);
      refused('decryptPollVote', await miscCall(gw.url, otherKey, 'decryptPollVote', { sessionId: SESSION, pollUpdateVote: { vote: { encPayload: 'AAAA', encIv: 'AAAAAAAAAAAAAAAA' } } }, [{ pollMsgId: 'X' }]), 404, 1101, /not found/);
      refused('resolveJidOrLid', await call('resolveJidOrLid', { input: '120363012345678901@g.us' }, [validation]), 400, 2002, /not a person/);

      const phone = enveloped('validatePhone', await call('validatePhone', { phone: `+${BOB}` }, [validation]));
      assert.deepEqual([phone.data.isValid, phone.data.exists, phone.data.jid], [true, true, `${BOB}@s.whatsapp.net`]);
      const nobody = enveloped('validatePhone', await call('validatePhone', { phone: '+4915123459999' }, [validation]));
      assert.deepEqual([nobody.data.isValid, nobody.data.exists], [true, false]);
      const jid = enveloped('validateJid', await call('validateJid', { jid: `${BOB}@s.whatsapp.net` }, [validation]));
      assert.equal(jid.data.exists, true);
    });

    if (dialect === 'sqlite') {
      test('every miscellaneous action of the node was called', () => {
        assert.deepEqual([...seen].sort(), Object.keys(MISC_ACTIONS).sort());
      });
    }
  });
}
