// A queued send as the database keeps it: the content with media by content address (bytes live in the media
// storage, never in the queue) and the options, as JSON; and back into what the engine sends.
import type { MessageKey, OutboundContent, SendOptions } from '../../engine/types.js';

export interface StoredMedia {
  mediaId: string;
  mimetype: string;
}

type WithStoredMedia<C> = C extends { media: unknown } ? Omit<C, 'media' | 'thumbnail'> & { media: StoredMedia; thumbnail?: string } : C;

/** OutboundContent with media stored by content address and thumbnails as base64. */
export type StoredContent = WithStoredMedia<OutboundContent>;

export type PresenceSimulation = 'composing' | 'recording';

export interface StoredSend {
  content: StoredContent;
  quoted?: { key: MessageKey; raw: unknown | null };
  mentions?: string[];
  forwarded?: boolean;
  /** typing or recording shown in the chat before the message goes */
  presence?: PresenceSimulation;
}

export const serializeSend = (send: StoredSend): string => JSON.stringify(send);

export function parseSend(json: string): StoredSend {
  return JSON.parse(json) as StoredSend;
}

/** The engine's content for a stored send, with its media bytes read back. */
export async function hydrateContent(content: StoredContent, readMedia: (id: string) => Promise<Buffer | null>): Promise<OutboundContent> {
  if (!('media' in content)) return content;
  const data = await readMedia(content.media.mediaId);
  if (!data) throw new Error(`media ${content.media.mediaId} of a queued send is missing from the media storage`);
  const { thumbnail, ...rest } = content as typeof content & { thumbnail?: string };
  return { ...rest, media: { data, mimetype: content.media.mimetype }, ...(thumbnail ? { thumbnail: Buffer.from(thumbnail, 'base64') } : {}) } as OutboundContent;
}

export function sendOptions(id: string, send: StoredSend): SendOptions {
  return {
    id,
    ...(send.quoted ? { quoted: send.quoted } : {}),
    ...(send.mentions?.length ? { mentions: send.mentions } : {}),
    ...(send.forwarded ? { forwarded: true } : {})
  };
}
