// Media preparation against real files made here (sharp draws the images, ffmpeg's lavfi sources the audio and
// video): containers and codecs checked by their magic bytes, sizes read back with sharp, failures by code.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { GatewayError } from '../errors.js';
import { ffmpegPath, ffmpegSource, withTempDir } from './ffmpeg.js';
import { prepareAudio, prepareGif, prepareImage, prepareSticker, prepareVideo, prepareVoiceNote, requireKind } from './media-prepare.js';
import type { LoadedMedia } from './media-source.js';

async function gatewayError(promise: Promise<unknown> | (() => unknown)): Promise<GatewayError> {
  const err = await (typeof promise === 'function' ? Promise.resolve().then(promise) : promise).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
  return err;
}

const isJpeg = (bytes: Buffer) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
const isMp4 = (bytes: Buffer) => bytes.toString('latin1', 4, 8) === 'ftyp';
const hasBox = (bytes: Buffer, box: string) => bytes.includes(Buffer.from(box, 'latin1'));

/** A PNG whose header claims `width`×`height` over a few bytes of pixels: decoders must refuse it from the header. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const framing = Buffer.alloc(8);
    framing.writeUInt32BE(data.length, 0);
    framing.writeUInt32BE(crc32(body), 4);
    return Buffer.concat([framing.subarray(0, 4), body, framing.subarray(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(100))), chunk('IEND', Buffer.alloc(0))]);
}

async function ffmpegFixture(name: string, args: string[]): Promise<Buffer> {
  return withTempDir(async (dir) => {
    const file = join(dir, name);
    await promisify(execFile)(await ffmpegPath(), ['-hide_banner', '-loglevel', 'error', ...args, file]);
    return readFile(file);
  });
}

// This process's own temp directory, so the clean-up check sees only the conversions made here.
process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'media-prepare-test-'));

const fixtures = {} as Record<'png' | 'webp' | 'bigJpeg' | 'rotatedJpeg' | 'gif' | 'mp4' | 'webm' | 'wav', Buffer>;

before(async () => {
  const lavfi = (source: string) => ['-f', 'lavfi', '-i', source];
  const [png, webp, bigJpeg, rotatedJpeg, gif, mp4, webm, wav] = await Promise.all([
    sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 0.5 } } }).png().toBuffer(),
    sharp({ create: { width: 120, height: 90, channels: 3, background: '#20a060' } }).webp().toBuffer(),
    sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#102030' } }).jpeg().toBuffer(),
    sharp({ create: { width: 200, height: 100, channels: 3, background: '#808080' } }).withMetadata({ orientation: 6 }).jpeg().toBuffer(),
    ffmpegFixture('anim.gif', lavfi('testsrc=size=64x48:rate=10:duration=1')),
    ffmpegFixture('clip.mp4', [...lavfi('testsrc=size=320x240:rate=25:duration=3'), ...lavfi('sine=frequency=440:duration=3'), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest']),
    ffmpegFixture('clip.webm', [...lavfi('testsrc=size=161x121:rate=15:duration=1'), ...lavfi('sine=duration=1'), '-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus']),
    ffmpegFixture('tone.wav', lavfi('sine=frequency=440:duration=2')),
  ]);
  Object.assign(fixtures, { png, webp, bigJpeg, rotatedJpeg, gif, mp4, webm, wav });
});
after(() => rm(tmpdir(), { recursive: true, force: true }));

describe('ffmpeg', () => {
  it('is the system binary when one is on PATH, else the npm build', async () => {
    assert.match(await ffmpegSource(), /^(system|npm)$/);
    assert.match(await ffmpegPath(), /ffmpeg$/);
  });
});

describe('requireKind', () => {
  const media = (mimetype: string): LoadedMedia => ({ bytes: Buffer.alloc(0), mimetype, extension: null, fileName: null });

  it('accepts what each kind can carry, and anything as a document', () => {
    requireKind(media('image/webp'), 'image', 'image');
    requireKind(media('video/quicktime'), 'video', 'video');
    requireKind(media('audio/ogg; codecs=opus'), 'audio', 'audio');
    requireKind(media('video/mp4'), 'gif', 'gif');
    requireKind(media('image/png'), 'sticker', 'sticker');
    requireKind(media('application/zip'), 'document', 'document');
  });

  it('refuses with 415 and says what the file could be sent as instead', async () => {
    const pdf = await gatewayError(() => requireKind(media('application/pdf'), 'image', 'media'));
    assert.deepEqual([pdf.code, pdf.status], ['UNSUPPORTED_MEDIA_TYPE', 415]);
    assert.equal(pdf.message, 'media is application/pdf, which is not an image (JPEG, PNG, WebP or a still GIF); send it as a document');
    const clip = await gatewayError(() => requireKind(media('video/mp4'), 'image', 'image'));
    assert.equal(clip.message, 'image is video/mp4, which is not an image (JPEG, PNG, WebP or a still GIF); send it as a video, or as a document');
    assert.match((await gatewayError(() => requireKind(media('image/jpeg'), 'audio', 'audio'))).message, /send it as an? image, or as a document$/);
  });
});

describe('prepareImage', () => {
  it('keeps a PNG as it is, with its size and a small JPEG preview', async () => {
    const image = await prepareImage(fixtures.png, { compress: false });
    assert.deepEqual([image.bytes, image.mimetype, image.width, image.height], [fixtures.png, 'image/png', 300, 200]);
    assert.ok(isJpeg(image.thumbnail));
    const preview = await sharp(image.thumbnail).metadata();
    assert.deepEqual([preview.width, preview.height], [72, 48]);
  });

  it('turns WebP into JPEG, and applies EXIF rotation rather than passing it on', async () => {
    const fromWebp = await prepareImage(fixtures.webp, { compress: false });
    assert.deepEqual([fromWebp.mimetype, isJpeg(fromWebp.bytes), fromWebp.width, fromWebp.height], ['image/jpeg', true, 120, 90]);
    const upright = await prepareImage(fixtures.rotatedJpeg, { compress: false });
    const metadata = await sharp(upright.bytes).metadata();
    assert.deepEqual([upright.width, upright.height, metadata.width, metadata.height, metadata.orientation], [100, 200, 100, 200, undefined]);
  });

  it('compresses to a JPEG whose longest side is 1600 px', async () => {
    const image = await prepareImage(fixtures.bigJpeg, { compress: true });
    assert.deepEqual([image.mimetype, image.width, image.height], ['image/jpeg', 1600, 800]);
    assert.ok(image.bytes.length < fixtures.bigJpeg.length);
  });

  it('refuses a corrupt image (415), an animation (415) and too many pixels (413) before decoding them', async () => {
    const corrupt = await gatewayError(prepareImage(Buffer.from('definitely not an image'), { compress: false }));
    assert.deepEqual([corrupt.code, corrupt.status], ['MEDIA_UNSUPPORTED_FORMAT', 415]);
    assert.match(corrupt.message, /^could not read the file as an image \(.+\); send a valid JPEG, PNG, WebP or GIF$/);
    const truncated = await gatewayError(prepareImage(fixtures.bigJpeg.subarray(0, 400), { compress: true }));
    assert.equal(truncated.code, 'MEDIA_UNSUPPORTED_FORMAT');
    const animated = await gatewayError(prepareImage(fixtures.gif, { compress: false }));
    assert.equal(animated.message, 'the image is an animated GIF; send it as a gif (a looping video) or as a sticker');
    const huge = await gatewayError(prepareImage(pngClaiming(8000, 6000), { compress: true }));
    assert.deepEqual([huge.code, huge.status], ['MEDIA_TOO_LARGE', 413]);
    assert.equal(huge.message, 'the image is 8000×6000 pixels (48 MP), over the 40 MP limit; scale it down before sending');
  });
});

describe('prepareSticker', () => {
  it('makes a 512×512 WebP with the image contained on a transparent background', async () => {
    const sticker = await prepareSticker(fixtures.png);
    const metadata = await sharp(sticker.bytes).metadata();
    assert.deepEqual([sticker.animated, metadata.format, metadata.width, metadata.height, metadata.hasAlpha], [false, 'webp', 512, 512, true]);
    const corner = await sharp(sticker.bytes).extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer();
    assert.equal(corner[3], 0, 'the letterbox is transparent');
  });

  it('keeps an animation animated, every frame 512×512', async () => {
    const sticker = await prepareSticker(fixtures.gif);
    const metadata = await sharp(sticker.bytes, { animated: true }).metadata();
    assert.deepEqual([sticker.animated, metadata.format, metadata.width, metadata.pageHeight, metadata.pages], [true, 'webp', 512, 512, 10]);
  });
});

describe('prepareVoiceNote and prepareAudio', () => {
  it('encodes a voice note as Ogg/Opus, mono, 48 kHz', async () => {
    const voice = await prepareVoiceNote(fixtures.wav);
    assert.deepEqual([voice.mimetype, voice.seconds], ['audio/ogg; codecs=opus', 2]);
    assert.equal(voice.bytes.toString('latin1', 0, 4), 'OggS');
    const head = voice.bytes.indexOf('OpusHead');
    assert.ok(head > 0, 'an Opus stream');
    assert.deepEqual([voice.bytes[head + 9], voice.bytes.readUInt32LE(head + 12)], [1, 48_000], 'mono, 48 kHz');
  });

  it('sends playable audio as it is and converts the rest to AAC in M4A', async () => {
    const voice = await prepareVoiceNote(fixtures.wav);
    const kept = await prepareAudio(voice.bytes, 'audio/ogg; codecs=opus');
    assert.deepEqual([kept.bytes, kept.mimetype, kept.seconds], [voice.bytes, 'audio/ogg; codecs=opus', 2]);
    const converted = await prepareAudio(fixtures.wav, 'audio/wav');
    assert.deepEqual([converted.mimetype, converted.seconds, isMp4(converted.bytes)], ['audio/mp4', 2, true]);
  });

  it('refuses a file without sound, and a corrupt one, with 415', async () => {
    const silent = await gatewayError(prepareVoiceNote(fixtures.gif));
    assert.deepEqual([silent.status, silent.message], [415, 'the audio has no sound track; send a file with sound']);
    const corrupt = await gatewayError(prepareAudio(Buffer.from('ID3 but nothing after it'), 'audio/mpeg'));
    assert.deepEqual([corrupt.code, corrupt.status], ['MEDIA_UNSUPPORTED_FORMAT', 415]);
    assert.match(corrupt.message, /^could not read the audio \(.+\); send a valid, uncorrupted file$/);
    assert.doesNotMatch(corrupt.message, /waygate-media|\/tmp/);
  });
});

describe('prepareGif and prepareVideo', () => {
  it('turns a GIF into a silent H.264 MP4 with even dimensions and its index first', async () => {
    const gif = await prepareGif(fixtures.gif);
    assert.deepEqual([gif.mimetype, gif.seconds, gif.width, gif.height, isMp4(gif.bytes), isJpeg(gif.thumbnail)], ['video/mp4', 1, 64, 48, true, true]);
    assert.ok(hasBox(gif.bytes, 'avc1'), 'H.264');
    assert.ok(!hasBox(gif.bytes, 'mp4a'), 'no audio');
    assert.ok(gif.bytes.indexOf('moov') < gif.bytes.indexOf('mdat'), 'faststart');
  });

  it('passes an MP4 through as a GIF, with a preview', async () => {
    const gif = await prepareGif(fixtures.mp4);
    assert.deepEqual([gif.bytes, gif.seconds, gif.width, gif.height, isJpeg(gif.thumbnail)], [fixtures.mp4, 3, 320, 240, true]);
  });

  it('sends an H.264/AAC MP4 as it is, with its length, size and a preview', async () => {
    const video = await prepareVideo(fixtures.mp4, 'video/mp4');
    assert.deepEqual([video.bytes, video.mimetype, video.seconds, video.width, video.height], [fixtures.mp4, 'video/mp4', 3, 320, 240]);
    const preview = await sharp(video.thumbnail).metadata();
    assert.deepEqual([preview.format, preview.width, preview.height], ['jpeg', 72, 54]);
  });

  it('re-encodes WebM (VP8/Opus) to H.264/AAC MP4 with even dimensions', async () => {
    const video = await prepareVideo(fixtures.webm, 'video/webm');
    assert.deepEqual([video.mimetype, video.seconds, video.width, video.height, isMp4(video.bytes)], ['video/mp4', 1, 160, 120, true]);
    assert.ok(hasBox(video.bytes, 'avc1') && hasBox(video.bytes, 'mp4a'), 'H.264 and AAC');
  });

  it('refuses a corrupt or truncated video with 415, and stops a conversion past its deadline with 422', async () => {
    for (const bytes of [Buffer.from('not a video at all'), fixtures.mp4.subarray(0, 2_000)]) {
      const err = await gatewayError(prepareVideo(bytes, 'video/mp4'));
      assert.deepEqual([err.code, err.status], ['MEDIA_UNSUPPORTED_FORMAT', 415]);
    }
    const slow = await gatewayError(prepareVideo(fixtures.webm, 'video/webm', { timeoutMs: 1 }));
    assert.deepEqual([slow.code, slow.status], ['UNPROCESSABLE_ENTITY', 422]);
    assert.match(slow.message, /^converting the video took longer than 0.001 s and was stopped; send a shorter or smaller file$/);
  });

  it('leaves no temp files behind', async () => {
    assert.deepEqual(await readdir(tmpdir()), []);
  });
});
