// WhatsApp's media encryption, decrypt side, on node:crypto alone: the 32-byte mediaKey is expanded with
// HKDF-SHA256 (no salt, info "WhatsApp <Kind> Keys") to 112 bytes: IV (16), AES-256-CBC key (32), MAC key (32).
// The .enc file is the ciphertext followed by the first 10 bytes of HMAC-SHA256(macKey, iv ‖ ciphertext).
import { createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors.js';

/** The HKDF info word of each media type WhatsApp encrypts (as in WhatsApp Web and Baileys). */
export const MEDIA_KEY_INFO = {
  image: 'Image',
  sticker: 'Image',
  video: 'Video',
  gif: 'Video',
  ptv: 'Video',
  audio: 'Audio',
  ptt: 'Audio',
  document: 'Document',
  'thumbnail-image': 'Image Thumbnail',
  'thumbnail-video': 'Video Thumbnail',
  'thumbnail-document': 'Document Thumbnail',
  'thumbnail-link': 'Link Thumbnail',
  history: 'History',
  'app-state': 'App State',
  'payment-bg-image': 'Payment Background',
} as const;

export type MediaKind = keyof typeof MEDIA_KEY_INFO;
export const MEDIA_KINDS = Object.keys(MEDIA_KEY_INFO) as MediaKind[];

const MAC_LENGTH = 10;

export interface MediaKeys {
  iv: Buffer;
  cipherKey: Buffer;
  macKey: Buffer;
}

export function mediaKeys(mediaKey: Buffer, kind: MediaKind): MediaKeys {
  const expanded = Buffer.from(hkdfSync('sha256', mediaKey, Buffer.alloc(0), `WhatsApp ${MEDIA_KEY_INFO[kind]} Keys`, 112));
  return { iv: expanded.subarray(0, 16), cipherKey: expanded.subarray(16, 48), macKey: expanded.subarray(48, 80) };
}

/** Which kind a type or MIME type names (image/webp is a sticker's; both use the image keys). */
export function mediaKindOf(raw: string): MediaKind | undefined {
  const value = raw.trim().toLowerCase();
  if ((MEDIA_KINDS as string[]).includes(value)) return value as MediaKind;
  const aliases: Record<string, MediaKind> = { voice: 'ptt', 'voice-note': 'ptt', file: 'document', 'md-app-state': 'app-state', 'md-msg-hist': 'history' };
  if (aliases[value]) return aliases[value];
  const essence = value.split(';')[0]!.trim();
  if (essence === 'image/gif') return 'gif';
  if (essence.startsWith('image/')) return 'image';
  if (essence.startsWith('video/')) return 'video';
  if (essence.startsWith('audio/')) return 'audio';
  if (/^[\w.+-]+\/[\w.+-]+$/.test(essence)) return 'document';
  return undefined;
}

function macOf(keys: MediaKeys, ciphertext: Buffer): Buffer {
  return createHmac('sha256', keys.macKey).update(keys.iv).update(ciphertext).digest().subarray(0, MAC_LENGTH);
}

export interface DecryptedMedia {
  bytes: Buffer;
  /** the kind whose keys verified the MAC */
  kind: MediaKind;
  /** SHA-256 of the decrypted file (WhatsApp's fileSha256), base64 */
  fileSha256: string;
  /** SHA-256 of the encrypted file (WhatsApp's fileEncSha256), base64 */
  fileEncSha256: string;
}

/**
 * Decrypts an .enc file. `kinds` are tried in order (one when the caller named the type; every kind when it
 * did not): the MAC says which one the file was encrypted for. A MAC that matches none, bad padding or a
 * `fileSha256` that differs are 422s that say what is likely wrong.
 */
export function decryptMedia(encrypted: Buffer, mediaKey: Buffer, kinds: readonly MediaKind[], expectedSha256?: Buffer): DecryptedMedia {
  if (mediaKey.length !== 32) throw new GatewayError('INVALID_PARAMETER', `mediaKey must be 32 bytes (44 base64 characters), not ${mediaKey.length}; send the message's mediaKey as it is`);
  if (encrypted.length < MAC_LENGTH + 16 || (encrypted.length - MAC_LENGTH) % 16 !== 0) {
    throw new GatewayError('UNPROCESSABLE_ENTITY', `file is not a WhatsApp .enc file (${encrypted.length} bytes: expected AES blocks of 16 bytes plus a 10-byte MAC); send the encrypted download, not the decrypted file or a preview`);
  }
  const ciphertext = encrypted.subarray(0, -MAC_LENGTH);
  const mac = encrypted.subarray(-MAC_LENGTH);
  const kind = kinds.find((candidate) => timingSafeEqual(macOf(mediaKeys(mediaKey, candidate), ciphertext), mac));
  if (!kind) {
    const tried = kinds.length === 1 ? `the ${kinds[0]} keys` : 'the keys of every media type';
    throw new GatewayError('UNPROCESSABLE_ENTITY', `the file's MAC does not match ${tried}: the mediaKey is not this file's${kinds.length === 1 ? ', the media type is wrong' : ''}, or the file is corrupted or incomplete`);
  }
  const keys = mediaKeys(mediaKey, kind);
  let bytes: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', keys.cipherKey, keys.iv);
    bytes = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (err) {
    throw new GatewayError('UNPROCESSABLE_ENTITY', 'the file decrypts to invalid padding although its MAC matched; it was encrypted wrongly', { cause: err });
  }
  const sha256 = createHash('sha256').update(bytes).digest();
  if (expectedSha256 && !(expectedSha256.length === sha256.length && timingSafeEqual(expectedSha256, sha256))) {
    throw new GatewayError('UNPROCESSABLE_ENTITY', `the decrypted file's SHA-256 (${sha256.toString('base64')}) is not the fileSha256 given; the file or the fileSha256 belongs to another message`);
  }
  return { bytes, kind, fileSha256: sha256.toString('base64'), fileEncSha256: createHash('sha256').update(encrypted).digest('base64') };
}
