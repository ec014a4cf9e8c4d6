// What a received message says about its media attachment, before anything is downloaded: kind, type, size,
// content hash and playback flags, looked up through the view-once, ephemeral and document-with-caption wrappers.
import { normalizeMessageContent, toNumber, type proto } from 'baileys';
import type { InboundMedia } from '../types.js';

const KINDS = {
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker'
} as const satisfies Partial<Record<keyof proto.IMessage, InboundMedia['kind']>>;

type MediaField = keyof typeof KINDS;

/** The union of the media messages' fields, all optional: each kind has some of them. */
type AnyMedia = proto.Message.IImageMessage &
  proto.Message.IVideoMessage &
  proto.Message.IAudioMessage &
  proto.Message.IDocumentMessage &
  proto.Message.IStickerMessage;

const VIEW_ONCE_WRAPPERS = ['viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension'] as const;

/** Whether the message is wrapped as view-once, possibly inside an ephemeral (disappearing) wrapper. */
function wrappedViewOnce(message: proto.IMessage | null | undefined): boolean {
  for (let depth = 0; message && depth < 5; depth++) {
    if (VIEW_ONCE_WRAPPERS.some((wrapper) => message![wrapper])) return true;
    message = message.ephemeralMessage?.message ?? message.documentWithCaptionMessage?.message;
  }
  return false;
}

/** The media attachment of a message, or null when it has none. */
export function inboundMedia(message: proto.IMessage | null | undefined): InboundMedia | null {
  const content = normalizeMessageContent(message);
  const field = content && (Object.keys(KINDS) as MediaField[]).find((key) => content[key]);
  if (!content || !field) return null;
  const media = content[field] as AnyMedia;
  const number = (value: Parameters<typeof toNumber>[0]) => (value === null || value === undefined ? null : toNumber(value));
  return {
    kind: KINDS[field],
    mimetype: media.mimetype ?? null,
    fileName: media.fileName ?? null,
    size: number(media.fileLength),
    sha256: media.fileSha256?.length ? Buffer.from(media.fileSha256).toString('hex') : null,
    seconds: media.seconds ?? null,
    voiceNote: !!media.ptt,
    gifPlayback: !!media.gifPlayback,
    viewOnce: !!media.viewOnce || wrappedViewOnce(message)
  };
}
