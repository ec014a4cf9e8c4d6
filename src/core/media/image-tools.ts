// sharp, loaded on first use (an idle gateway does not carry libvips), with the input bound every caller needs.
import type { Metadata, Sharp } from 'sharp';
import { GatewayError } from '../errors.js';

/** Larger images are refused before decoding: a 40 MP RGBA image already takes 160 MB. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Longest side of the JPEG preview WhatsApp shows while the media downloads. */
export const THUMBNAIL_SIDE = 72;
export const WHITE = { r: 255, g: 255, b: 255 };
const LIMIT = `${MAX_INPUT_PIXELS / 1e6} MP limit`;

let sharpLoading: Promise<typeof import('sharp')> | undefined;

async function sharpModule() {
  return (await (sharpLoading ??= import('sharp'))).default;
}

export interface OpenedImage {
  image: Sharp;
  metadata: Metadata;
  /** more than one frame (GIF, WebP, APNG animations) */
  animated: boolean;
}

/** @param animated keep every frame; otherwise only the first is read. */
export async function openImage(bytes: Buffer, animated: boolean): Promise<OpenedImage> {
  const sharp = await sharpModule();
  let metadata: Metadata;
  try {
    // Only the header is read here; the pixel bound is checked on it to say exactly what is too large.
    metadata = await sharp(bytes, { animated, limitInputPixels: false }).metadata();
  } catch (err) {
    throw imageFailure(err);
  }
  const frameHeight = metadata.pageHeight ?? metadata.height;
  if (metadata.width * frameHeight > MAX_INPUT_PIXELS) {
    const megapixels = Number(((metadata.width * frameHeight) / 1e6).toFixed(1));
    throw new GatewayError('MEDIA_TOO_LARGE', `the image is ${metadata.width}×${frameHeight} pixels (${megapixels} MP), over the ${LIMIT}; scale it down before sending`);
  }
  if (metadata.width * metadata.height > MAX_INPUT_PIXELS) {
    throw new GatewayError('MEDIA_TOO_LARGE', `the animation's frames add up to more than the ${LIMIT}; send fewer or smaller frames`);
  }
  const image = sharp(bytes, { animated, limitInputPixels: MAX_INPUT_PIXELS });
  return { image, metadata, animated: (metadata.pages ?? 1) > 1 };
}

/** Runs a sharp encode, turning its failures into errors that tell the sender what to fix. */
export async function encodeImage(pipeline: Sharp): Promise<{ data: Buffer; width: number; height: number }> {
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw imageFailure(err);
  }
}

/** The preview WhatsApp shows before the media arrives, and the source's display size (EXIF orientation applied). */
export async function jpegThumbnail(bytes: Buffer): Promise<{ thumbnail: Buffer; width: number; height: number }> {
  const { image, metadata } = await openImage(bytes, false);
  const { data } = await encodeImage(
    image.autoOrient().resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true }).flatten({ background: WHITE }).jpeg({ quality: 50 })
  );
  return { thumbnail: data, ...metadata.autoOrient };
}

function imageFailure(err: unknown): GatewayError {
  const reason = err instanceof Error ? err.message : String(err);
  return new GatewayError('MEDIA_UNSUPPORTED_FORMAT', `could not read the file as an image (${reason.replace(/:\s*$/, '')}); send a valid JPEG, PNG, WebP or GIF`, { cause: err });
}
