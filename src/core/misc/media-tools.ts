// "Make Thumbnail" and "Process Image": thumbnails of an image (sharp) or of frames of a video (ffmpeg, evenly
// spread over its length), and an image resized, converted and compressed. Built on the shared media helpers:
// the image loader with its pixel bound, the ffmpeg runner with its deadline and concurrency, probing.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FitEnum, Sharp } from 'sharp';
import { GatewayError } from '../errors.js';
import { probeVideo } from '../media/av-probe.js';
import { runFfmpeg, withTempDir } from '../media/ffmpeg.js';
import { encodeImage, MAX_INPUT_PIXELS, openImage, WHITE } from '../media/image-tools.js';
import { deliver, type DeliveredBytes, type OutputMode } from './binary-output.js';

export const MAX_SIDE = 8192;
export const MAX_THUMBNAIL_SIDE = 2048;
export const MAX_FRAMES = 6;
const FITS = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;
type Fit = (typeof FITS)[number] & keyof FitEnum;

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'tiff', 'avif', 'gif'] as const;
type ImageFormat = (typeof IMAGE_FORMATS)[number];
const MIME: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', tiff: 'image/tiff', avif: 'image/avif', gif: 'image/gif' };

function fitOf(raw: string | undefined, fallback: Fit): Fit {
  if (raw === undefined) return fallback;
  const value = raw.trim().toLowerCase();
  if (!(FITS as readonly string[]).includes(value)) throw new GatewayError('INVALID_PARAMETER', `fit "${raw.slice(0, 20)}" is not one of ${FITS.join(', ')}`);
  return value as Fit;
}

function side(value: number | undefined, name: string, max: number): number | undefined {
  if (value === undefined || value === 0) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new GatewayError('INVALID_PARAMETER', `${name} must be a whole number of pixels from 1 to ${max}`);
  return value;
}

export interface ThumbnailInput {
  type: string;
  width?: number;
  height?: number;
  fit?: string;
  /** video frames (0 or absent: one) */
  count?: number;
  output?: OutputMode;
}

export interface Thumbnail {
  thumbnail: string;
  meta: DeliveredBytes['meta'] & { width: number; height: number; atSeconds?: number };
}

async function jpegThumb(bytes: Buffer, width: number, height: number, fit: Fit): Promise<{ data: Buffer; width: number; height: number }> {
  const { image } = await openImage(bytes, false);
  return encodeImage(image.autoOrient().resize(width, height, { fit }).flatten({ background: WHITE }).jpeg({ quality: 80 }));
}

function asThumbnail(made: { data: Buffer; width: number; height: number }, output: OutputMode, atSeconds?: number): Thumbnail {
  const delivered = deliver(made.data, output === 'string' ? 'base64' : output, 'image/jpeg');
  return { thumbnail: delivered.data, meta: { ...delivered.meta, width: made.width, height: made.height, ...(atSeconds !== undefined ? { atSeconds } : {}) } };
}

/** JPEG thumbnails: one of an image, `count` frames of a video. */
export async function thumbnails(bytes: Buffer, input: ThumbnailInput): Promise<Thumbnail[]> {
  const type = input.type.trim().toLowerCase();
  if (type !== 'image' && type !== 'video') throw new GatewayError('INVALID_PARAMETER', `type must be image or video, not "${input.type.slice(0, 20)}"`);
  const width = side(input.width, 'width', MAX_THUMBNAIL_SIDE) ?? 320;
  const height = side(input.height, 'height', MAX_THUMBNAIL_SIDE) ?? width;
  const fit = fitOf(input.fit, 'cover');
  const output = input.output ?? 'base64';
  if (type === 'image') return [asThumbnail(await jpegThumb(bytes, width, height, fit), output)];
  const count = input.count === undefined || input.count === 0 ? 1 : input.count;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FRAMES) throw new GatewayError('INVALID_PARAMETER', `count must be a whole number of frames from 1 to ${MAX_FRAMES}`);
  return withTempDir(async (dir) => {
    const file = join(dir, 'input');
    await writeFile(file, bytes);
    const { seconds } = await probeVideo(file, 'the video');
    const made: Thumbnail[] = [];
    for (let i = 0; i < count; i++) {
      // One frame: a second in when the video is long enough (first frames are often black); several: evenly spread.
      const at = count === 1 ? (seconds >= 2 ? 1 : 0) : Number(((seconds * (i + 1)) / (count + 1)).toFixed(2));
      const frameFile = join(dir, `frame-${i}.jpg`);
      await runFfmpeg([...(at > 0 ? ['-ss', String(at)] : []), '-i', file, '-frames:v', '1', '-q:v', '2', frameFile], { what: 'the video' });
      const frame = await readFile(frameFile).catch((err: unknown) => {
        throw new GatewayError('MEDIA_UNSUPPORTED_FORMAT', `the video has no frame that could be decoded at ${at} s; send a valid, uncorrupted file`, { cause: err });
      });
      made.push(asThumbnail(await jpegThumb(frame, width, height, fit), output, at));
    }
    return made;
  });
}

export interface ImageActions {
  resize?: { width?: number; height?: number; fit?: string };
  convert?: string;
  compress?: { quality?: number };
}

export interface ProcessedImage {
  data: string;
  details: { format: string; width: number; height: number; size: number };
  actionsPerformed: { resized: boolean; converted: boolean; compressed: boolean };
  createdAt: string;
  meta: DeliveredBytes['meta'];
}

export function imageFormat(raw: string): ImageFormat {
  const value = raw.trim().toLowerCase().replace(/^image\//, '');
  const format = value === 'jpg' ? 'jpeg' : value === 'tif' ? 'tiff' : value;
  if (!(IMAGE_FORMATS as readonly string[]).includes(format)) throw new GatewayError('INVALID_PARAMETER', `convert "${raw.slice(0, 20)}" is not supported; use png, jpg, jpeg, webp, tiff, avif or gif`);
  return format as ImageFormat;
}

function encodeAs(pipeline: Sharp, format: ImageFormat, quality: number | undefined): Sharp {
  switch (format) {
    case 'jpeg': return pipeline.flatten({ background: WHITE }).jpeg({ quality: quality ?? 80, mozjpeg: true });
    case 'png': return pipeline.png(quality === undefined ? { compressionLevel: 9 } : { compressionLevel: 9, palette: true, quality });
    case 'webp': return pipeline.webp({ quality: quality ?? 80 });
    case 'tiff': return pipeline.tiff({ quality: quality ?? 80 });
    case 'avif': return pipeline.avif({ quality: quality ?? 50 });
    case 'gif': return pipeline.gif();
  }
}

/** Resize (fit, default cover), convert (default: the input's format when it is one of ours, else PNG) and compress. */
export async function processImage(bytes: Buffer, actions: ImageActions, output: OutputMode = 'base64'): Promise<ProcessedImage> {
  const width = side(actions.resize?.width, 'actions.resize.width', MAX_SIDE);
  const height = side(actions.resize?.height, 'actions.resize.height', MAX_SIDE);
  const fit = fitOf(actions.resize?.fit, 'cover');
  const quality = actions.compress?.quality;
  if (quality !== undefined && (!Number.isInteger(quality) || quality < 1 || quality > 100)) throw new GatewayError('INVALID_PARAMETER', 'actions.compress.quality must be a whole number from 1 to 100');
  if ((width ?? 1) * (height ?? 1) > MAX_INPUT_PIXELS) throw new GatewayError('INVALID_PARAMETER', `actions.resize asks for ${width}×${height} pixels, over the ${MAX_INPUT_PIXELS / 1e6} MP limit`);
  const { image, metadata } = await openImage(bytes, false);
  const format = actions.convert ? imageFormat(actions.convert) : (IMAGE_FORMATS as readonly string[]).includes(metadata.format ?? '') ? (metadata.format as ImageFormat) : 'png';
  let pipeline = image.autoOrient();
  const resized = width !== undefined || height !== undefined;
  if (resized) pipeline = pipeline.resize(width ?? null, height ?? null, { fit });
  const { data, width: outWidth, height: outHeight } = await encodeImage(encodeAs(pipeline, format, quality));
  const delivered = deliver(data, output === 'string' ? 'base64' : output, MIME[format]);
  return {
    data: delivered.data,
    details: { format: format === 'jpeg' ? 'jpg' : format, width: outWidth, height: outHeight, size: data.length },
    actionsPerformed: { resized, converted: actions.convert !== undefined, compressed: quality !== undefined },
    createdAt: new Date().toISOString(),
    meta: delivered.meta,
  };
}
