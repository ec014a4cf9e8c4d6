// Turns loaded media into what WhatsApp accepts for each kind of message, with the fields its message carries
// (dimensions, seconds, a JPEG preview). Images go through sharp, audio and video through ffmpeg.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError } from '../errors.js';
import { grabFrame, probe, probeVideo } from './av-probe.js';
import { runFfmpeg, withTempDir } from './ffmpeg.js';
import { encodeImage, jpegThumbnail, openImage, WHITE } from './image-tools.js';
import type { LoadedMedia } from './media-source.js';
import { formatSize } from './media-size.js';

export type MediaKind = 'image' | 'video' | 'audio' | 'sticker' | 'gif' | 'document';

const KINDS: Record<Exclude<MediaKind, 'document'>, { accepts: readonly string[]; is: string }> = {
  image: { accepts: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'], is: 'an image (JPEG, PNG, WebP or a still GIF)' },
  video: { accepts: ['video/mp4', 'video/3gpp', 'video/quicktime', 'video/webm'], is: 'a video (MP4, 3GP, MOV or WebM)' },
  audio: {
    accepts: ['audio/ogg', 'audio/ogg; codecs=opus', 'audio/mpeg', 'audio/mp4', 'audio/x-m4a', 'audio/aac', 'audio/wav', 'audio/webm', 'video/webm', 'audio/amr', 'audio/flac'],
    is: 'audio (OGG, MP3, M4A, AAC, WAV, WebM, AMR or FLAC)',
  },
  gif: { accepts: ['image/gif', 'video/mp4'], is: 'a GIF or an MP4 animation' },
  sticker: { accepts: ['image/jpeg', 'image/png', 'image/apng', 'image/webp', 'image/gif', 'image/avif', 'image/tiff'], is: 'an image for a sticker (WebP, PNG, JPEG, GIF, AVIF or TIFF)' },
};

/** 415 unless the sniffed type suits `kind`; the message says what the file could be sent as instead. */
export function requireKind(media: LoadedMedia, kind: MediaKind, field: string): void {
  if (kind === 'document') return;
  if (KINDS[kind].accepts.includes(media.mimetype)) return;
  const fits = (['image', 'video', 'audio'] as const).filter((other) => KINDS[other].accepts.includes(media.mimetype));
  const instead = [...fits.map((other) => `as ${other === 'audio' ? 'audio' : `a ${other}`}`), 'as a document'].join(', or ');
  throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `${field} is ${media.mimetype}, which is not ${KINDS[kind].is}; send it ${instead}`);
}

export interface PreparedImage {
  bytes: Buffer;
  mimetype: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  thumbnail: Buffer;
}

const COMPRESSED_SIDE = 1600;

/**
 * JPEG and PNG stay as they are (unless rotated by EXIF, which not every WhatsApp client applies); WebP and still
 * GIF become JPEG. `compress`: always JPEG, quality 80, longest side at most 1600 px.
 */
export async function prepareImage(bytes: Buffer, { compress }: { compress: boolean }): Promise<PreparedImage> {
  const { image, metadata, animated } = await openImage(bytes, false);
  if (animated) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `the image is an animated ${metadata.format.toUpperCase()}; send it as a gif (a looping video) or as a sticker`);
  const upright = (metadata.orientation ?? 1) === 1;
  if (!compress && upright && (metadata.format === 'jpeg' || metadata.format === 'png')) {
    const { thumbnail } = await jpegThumbnail(bytes);
    return { bytes, mimetype: `image/${metadata.format}`, width: metadata.width, height: metadata.height, thumbnail };
  }
  let pipeline = image.autoOrient();
  if (compress) pipeline = pipeline.resize(COMPRESSED_SIDE, COMPRESSED_SIDE, { fit: 'inside', withoutEnlargement: true });
  const jpeg = await encodeImage(pipeline.flatten({ background: WHITE }).jpeg({ quality: compress ? 80 : 90 }));
  const { thumbnail } = await jpegThumbnail(jpeg.data);
  return { bytes: jpeg.data, mimetype: 'image/jpeg', width: jpeg.width, height: jpeg.height, thumbnail };
}

const STICKER_SIDE = 512;
// WhatsApp's limits for sticker files; larger ones are not shown.
const STICKER_MAX_BYTES = { still: 100 * 1024, animated: 500 * 1024 };
const STICKER_QUALITIES = [80, 60, 40, 20];

/** A 512×512 WebP, the image centred on a transparent background; an animation stays animated. */
export async function prepareSticker(bytes: Buffer): Promise<{ bytes: Buffer; animated: boolean }> {
  const { image, animated } = await openImage(bytes, true);
  const square = image.resize(STICKER_SIDE, STICKER_SIDE, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } });
  const maxBytes = animated ? STICKER_MAX_BYTES.animated : STICKER_MAX_BYTES.still;
  let smallest = Infinity;
  for (const quality of STICKER_QUALITIES) {
    const { data } = await encodeImage(square.clone().webp({ quality }));
    if (data.length <= maxBytes) return { bytes: data, animated };
    smallest = Math.min(smallest, data.length);
  }
  throw new GatewayError(
    'MEDIA_TOO_LARGE',
    `the sticker is still ${formatSize(smallest)} at the lowest quality, over WhatsApp's ${formatSize(maxBytes)} limit for ${animated ? 'animated' : 'still'} stickers; ${animated ? 'send a shorter animation with fewer frames' : 'send a simpler image'}`
  );
}

export interface PreparedAudio {
  bytes: Buffer;
  mimetype: string;
  seconds: number;
}

export interface PreparedVideo {
  bytes: Buffer;
  mimetype: string;
  seconds: number;
  /** as displayed (rotation applied) */
  width: number;
  height: number;
  thumbnail: Buffer;
}

export interface AvOptions {
  /** ffmpeg runs longer than this are killed (default 60 s) */
  timeoutMs?: number;
}

/** A voice note: Ogg/Opus, mono, 48 kHz, whatever the audio was. */
export async function prepareVoiceNote(bytes: Buffer, { timeoutMs }: AvOptions = {}): Promise<PreparedAudio & { mimetype: 'audio/ogg; codecs=opus' }> {
  return withInput(bytes, async (input, dir) => {
    await requireAudioStream(input, timeoutMs);
    const output = join(dir, 'voice.ogg');
    await runFfmpeg(['-i', input, '-map', '0:a:0', '-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-f', 'ogg', output], { what: 'the audio', timeoutMs });
    const { seconds } = await probe(output, 'the audio', timeoutMs);
    return { bytes: await readFile(output), mimetype: 'audio/ogg; codecs=opus', seconds };
  });
}

// What WhatsApp clients play as audio (Ogg only with Opus inside), by sniffed type, and the type to send it as.
const PLAYABLE_AUDIO: Record<string, string> = {
  'audio/mpeg': 'audio/mpeg',
  'audio/mp4': 'audio/mp4',
  'audio/x-m4a': 'audio/mp4',
  'audio/aac': 'audio/aac',
  'audio/amr': 'audio/amr',
  'audio/ogg; codecs=opus': 'audio/ogg; codecs=opus',
};

/** Audio WhatsApp plays is sent as it is; other audio (WAV, FLAC, WebM, Ogg Vorbis) becomes AAC in M4A. */
export async function prepareAudio(bytes: Buffer, mimetype: string, { timeoutMs }: AvOptions = {}): Promise<PreparedAudio> {
  return withInput(bytes, async (input, dir) => {
    const { seconds } = await requireAudioStream(input, timeoutMs);
    const playableAs = PLAYABLE_AUDIO[mimetype];
    if (playableAs) return { bytes, mimetype: playableAs, seconds };
    const output = join(dir, 'audio.m4a');
    await runFfmpeg(['-i', input, '-map', '0:a:0', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', '-f', 'mp4', output], { what: 'the audio', timeoutMs });
    return { bytes: await readFile(output), mimetype: 'audio/mp4', seconds };
  });
}

/** A GIF as WhatsApp plays one: a silent, looping H.264 MP4. An MP4 is sent as it is. */
export async function prepareGif(bytes: Buffer, { timeoutMs }: AvOptions = {}): Promise<PreparedVideo & { mimetype: 'video/mp4' }> {
  return withInput(bytes, async (input, dir) => {
    const { seconds } = await probeVideo(input, 'the GIF', timeoutMs);
    let output = input;
    if (!isMp4(bytes)) {
      output = join(dir, 'gif.mp4');
      await runFfmpeg(['-i', input, '-an', ...H264, output], { what: 'the GIF', timeoutMs });
    }
    return { bytes: output === input ? bytes : await readFile(output), mimetype: 'video/mp4', ...(await preview(output, seconds, 'the GIF', timeoutMs)) };
  });
}

/**
 * MP4 and 3GP holding H.264 (with AAC or no sound) are sent as they are; the same streams in MOV or WebM are
 * moved into MP4; other codecs (VP8/VP9, HEVC…) are re-encoded to H.264/AAC MP4.
 */
export async function prepareVideo(bytes: Buffer, mimetype: string, { timeoutMs }: AvOptions = {}): Promise<PreparedVideo> {
  return withInput(bytes, async (input, dir) => {
    const { seconds, video, audio } = await probeVideo(input, 'the video', timeoutMs);
    const compatible = video.codec === 'h264' && (audio === null || audio.codec === 'aac');
    let output = input;
    let outputType = mimetype;
    if (!compatible || (mimetype !== 'video/mp4' && mimetype !== 'video/3gpp')) {
      output = join(dir, 'video.mp4');
      outputType = 'video/mp4';
      const codecs = compatible ? ['-c', 'copy', '-movflags', '+faststart', '-f', 'mp4'] : [...H264, '-c:a', 'aac', '-b:a', '128k'];
      await runFfmpeg(['-i', input, '-map', '0:v:0', '-map', '0:a:0?', ...codecs, output], { what: 'the video', timeoutMs });
    }
    return { bytes: output === input ? bytes : await readFile(output), mimetype: outputType, ...(await preview(output, seconds, 'the video', timeoutMs)) };
  });
}

// Phones play H.264 in 4:2:0 only, and 4:2:0 needs even dimensions (at least 2: a 1×1 tracking-pixel GIF too); faststart lets playback begin before the end arrives.
const H264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-vf', 'scale=max(2\\,trunc(iw/2)*2):max(2\\,trunc(ih/2)*2)', '-movflags', '+faststart', '-f', 'mp4'];

const isMp4 = (bytes: Buffer) => bytes.toString('latin1', 4, 8) === 'ftyp';

async function withInput<T>(bytes: Buffer, task: (input: string, dir: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const input = join(dir, 'input');
    await writeFile(input, bytes);
    return task(input, dir);
  });
}

async function requireAudioStream(input: string, timeoutMs?: number) {
  const found = await probe(input, 'the audio', timeoutMs);
  if (!found.audio) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'the audio has no sound track; send a file with sound');
  return found;
}

/** Length, display size (rotation applied) and JPEG preview of the final video. */
async function preview(file: string, roughSeconds: number, what: string, timeoutMs?: number) {
  const { frame, seconds } = await grabFrame(file, roughSeconds, what, timeoutMs);
  return { seconds, ...(await jpegThumbnail(frame)) };
}
