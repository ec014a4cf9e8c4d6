// A media draft → stored content: the source loaded (size-capped, SSRF-guarded, type sniffed), the kind checked
// against what the route sends, converted to what WhatsApp plays (compressed images, 512×512 WebP stickers,
// OGG/Opus voice notes, GIFs as MP4), with previews, and the bytes put in the media storage so the queued send
// names them by content address.
import type { MediaLibrary } from '../media-store/media-library.js';
import { prepareAudio, prepareGif, prepareImage, prepareSticker, prepareVideo, prepareVoiceNote, requireKind } from '../media/media-prepare.js';
import { loadMedia, parseMediaSource, type LoadedMedia, type MediaLoadOptions } from '../media/media-source.js';
import { GatewayError } from '../errors.js';
import type { MediaPreparer } from './message-sends.js';
import type { MediaDraft } from './send-content.js';
import type { StoredContent } from './stored-send.js';

export interface MediaPreparerDeps {
  library: Pick<MediaLibrary, 'storeBytes'>;
  load: Omit<MediaLoadOptions, 'field'>;
}

type Kind = 'image' | 'video' | 'gif' | 'audio' | 'sticker' | 'document';

/** What a `media` or `file` draft is, as the bytes say. */
function kindOf(draft: MediaDraft, loaded: LoadedMedia): Kind {
  const family = loaded.mimetype.split('/')[0];
  if (draft.type === 'media') {
    if (family === 'image' || family === 'video') return family;
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `${draft.field} is ${loaded.mimetype}; send/media takes an image or a video (use send/document or send/audio for other files)`);
  }
  if (draft.type === 'file') return family === 'image' || family === 'video' || family === 'audio' ? family : 'document';
  return draft.type;
}

export function mediaPreparer({ library, load }: MediaPreparerDeps): MediaPreparer {
  const store = async (bytes: Buffer, mimetype: string, fileName: string | null = null) => {
    const stored = await library.storeBytes(bytes, { mimetype, fileName });
    return { mediaId: stored.id, mimetype };
  };
  return async (draft) => {
    const loaded = await loadMedia(parseMediaSource(draft.source, draft.field), { ...load, field: draft.field });
    const kind = kindOf(draft, loaded);
    requireKind(loaded, kind, draft.field);
    const caption = draft.caption ? { caption: draft.caption } : {};
    const viewOnce = draft.viewOnce ? { viewOnce: true } : {};
    let content: StoredContent;
    switch (kind) {
      case 'image': {
        const image = await prepareImage(loaded.bytes, { compress: !!draft.compress });
        content = { type: 'image', media: await store(image.bytes, image.mimetype), thumbnail: image.thumbnail.toString('base64'), width: image.width, height: image.height, ...caption, ...viewOnce };
        break;
      }
      case 'video':
      case 'gif': {
        const video = kind === 'gif' ? await prepareGif(loaded.bytes) : await prepareVideo(loaded.bytes, loaded.mimetype);
        content = {
          type: 'video',
          media: await store(video.bytes, video.mimetype),
          thumbnail: video.thumbnail.toString('base64'),
          seconds: Math.round(video.seconds),
          width: video.width,
          height: video.height,
          ...(kind === 'gif' ? { gifPlayback: true } : {}),
          ...caption,
          ...viewOnce
        };
        break;
      }
      case 'audio': {
        const audio = draft.voiceNote ? await prepareVoiceNote(loaded.bytes) : await prepareAudio(loaded.bytes, loaded.mimetype);
        content = { type: 'audio', media: await store(audio.bytes, audio.mimetype), seconds: Math.round(audio.seconds), voiceNote: !!draft.voiceNote };
        break;
      }
      case 'sticker': {
        const sticker = await prepareSticker(loaded.bytes);
        content = { type: 'sticker', media: await store(sticker.bytes, 'image/webp'), animated: sticker.animated };
        break;
      }
      case 'document': {
        const fileName = draft.fileName ?? loaded.fileName ?? `file${loaded.extension ? `.${loaded.extension}` : ''}`;
        content = { type: 'document', media: await store(loaded.bytes, loaded.mimetype, fileName), fileName, ...caption };
        break;
      }
    }
    return content;
  };
}
