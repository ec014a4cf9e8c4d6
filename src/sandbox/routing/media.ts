// End-to-end encrypted media for simulated phones: where the network's media host is, uploading what a phone
// sends (already encrypted by Baileys' own helpers) and downloading + decrypting what it receives, checking
// the MAC and hashes exactly as a WhatsApp client does.
import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { getMediaKeys, normalizeMessageContent, type proto } from 'baileys';
import type { MediaHost } from '../media/host.js';
import type { SandboxNetwork } from '../network.js';
import type { DecryptedMedia } from '../world/phone-inbox.js';

const MAC_LENGTH = 10;
const MEDIA_FIELDS = {
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker'
} as const;

const hosts = new WeakMap<SandboxNetwork, MediaHost>();

/** Links a network to the media host its `media_conn` answers announce (done when the control API is built). */
export function attachMediaHost(network: SandboxNetwork, media: MediaHost): void {
  hosts.set(network, media);
}

export function mediaHostOf(network: SandboxNetwork): MediaHost {
  const host = hosts.get(network);
  if (!host) throw new Error('this sandbox network has no media host attached');
  return host;
}

/** An `upload` function for Baileys' prepareWAMessageMedia that stores the encrypted file on the media host. */
export function phoneUploader(network: SandboxNetwork) {
  return async (encryptedFilePath: string, { mediaType }: { mediaType: string }) => {
    const { url, directPath } = mediaHostOf(network).put(mediaType, await readFile(encryptedFilePath));
    return { mediaUrl: url, directPath };
  };
}

type MediaField = keyof typeof MEDIA_FIELDS;

/** One read shape over the six media protos; each has a subset of these fields. */
export type MediaProto = proto.Message.IImageMessage &
  proto.Message.IVideoMessage &
  proto.Message.IAudioMessage &
  proto.Message.IDocumentMessage &
  proto.Message.IStickerMessage;

/** The media part of a message (image, video, video note, audio, document or sticker), if it has one. */
export function mediaPart(message: proto.IMessage): { field: MediaField; media: MediaProto } | undefined {
  const content = normalizeMessageContent(message);
  const field = content && (Object.keys(MEDIA_FIELDS) as MediaField[]).find((key) => content[key]);
  return content && field ? { field, media: content[field] as MediaProto } : undefined;
}

/** Downloads and decrypts the media of a received message; undefined when it carries none. */
export async function openMedia(network: SandboxNetwork, message: proto.IMessage): Promise<DecryptedMedia | { error: string } | undefined> {
  const part = mediaPart(message);
  if (!part) return undefined;
  const { field, media } = part;
  if (!media.directPath || !media.mediaKey) return { error: 'the message has no directPath or mediaKey' };
  const blob = mediaHostOf(network).get(media.directPath);
  if (!blob || blob.length <= MAC_LENGTH) return { error: `nothing stored at ${media.directPath}` };
  const { cipherKey, iv, macKey } = await getMediaKeys(media.mediaKey, MEDIA_FIELDS[field]);
  if (!macKey) return { error: 'no MAC key derived for this media type' };
  const encrypted = blob.subarray(0, blob.length - MAC_LENGTH);
  const mac = createHmac('sha256', macKey).update(iv).update(encrypted).digest().subarray(0, MAC_LENGTH);
  if (!timingSafeEqual(mac, blob.subarray(blob.length - MAC_LENGTH))) return { error: 'media MAC mismatch (wrong mediaKey or corrupted upload)' };
  if (media.fileEncSha256 && !createHash('sha256').update(blob).digest().equals(Buffer.from(media.fileEncSha256))) {
    return { error: 'fileEncSha256 does not match the stored bytes' };
  }
  const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv);
  const plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  const sha256 = createHash('sha256').update(plain).digest();
  if (media.fileSha256 && !sha256.equals(Buffer.from(media.fileSha256))) return { error: 'fileSha256 does not match the decrypted bytes' };
  return { size: plain.length, sha256: sha256.toString('hex'), verified: !!media.fileSha256 };
}
