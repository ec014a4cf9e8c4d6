// The port's OutboundContent → what Baileys 7 builds and sends: content for its generateWAMessage (text without a
// link preview, media from the prepared bytes, location, contacts, polls), or a hand-built interactive message
// for buttons and lists (./interactive.ts), each with the extra stanza nodes its kind needs. Checked here.
import type { AnyMessageContent, BinaryNode, proto } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import type { OutboundContent, OutboundMedia } from '../types.js';
import { buttonsMessage, listMessage, NATIVE_FLOW_NODE } from './interactive.js';

export type PreparedContent =
  | { build: 'baileys'; content: AnyMessageContent; nodes: BinaryNode[] }
  | { build: 'proto'; message: proto.IMessage; nodes: BinaryNode[] };

/** What sendMessage adds for a poll: the server wants to know a poll is being created. */
const POLL_CREATION_NODE: BinaryNode = { tag: 'meta', attrs: { polltype: 'creation' } };
const MAX_POLL_OPTIONS = 12;

function filled(value: string, argument: string): string {
  if (!value?.trim()) throw new EngineInvalidArgumentError(argument, 'must not be empty');
  return value;
}

function bytes(media: OutboundMedia): { data: Buffer; mimetype: string } {
  if (!Buffer.isBuffer(media?.data) || media.data.length === 0) throw new EngineInvalidArgumentError('media.data', 'must be the non-empty file');
  return { data: media.data, mimetype: filled(media.mimetype, 'media.mimetype') };
}

/** Baileys takes thumbnails as base64 (its types say string); none given lets it try to make one. */
const thumbnail = (jpeg: Buffer | undefined) => (jpeg?.length ? { jpegThumbnail: jpeg.toString('base64') } : {});

function coordinate(value: number, limit: number, argument: string): number {
  if (!Number.isFinite(value) || Math.abs(value) > limit) throw new EngineInvalidArgumentError(argument, `must be a number from -${limit} to ${limit}`);
  return value;
}

/** The name a vCard gives (FN), for the per-contact names of a contact list. */
function vcardName(vcard: string): string | undefined {
  return /^FN(?:;[^:]*)?:(.*)$/im.exec(vcard)?.[1]?.trim() || undefined;
}

function poll({ name, options, selectableCount }: Extract<OutboundContent, { type: 'poll' }>): AnyMessageContent {
  filled(name, 'name');
  if (options.length < 2 || options.length > MAX_POLL_OPTIONS) throw new EngineInvalidArgumentError('options', `must list 2 to ${MAX_POLL_OPTIONS} options`);
  options.forEach((option, i) => filled(option, `options[${i}]`));
  if (new Set(options).size !== options.length) throw new EngineInvalidArgumentError('options', 'must all be different');
  if (!Number.isInteger(selectableCount) || selectableCount < 0 || selectableCount > options.length) {
    throw new EngineInvalidArgumentError('selectableCount', `must be a whole number from 0 (any number) to ${options.length}`);
  }
  return { poll: { name, values: options, selectableCount } };
}

function baileys(content: OutboundContent): AnyMessageContent {
  switch (content.type) {
    case 'text':
      // linkPreview: null keeps Baileys from fetching the URL (and from loading the optional link-preview-js).
      return { text: filled(content.text, 'text'), linkPreview: null };
    case 'image': {
      const { data, mimetype } = bytes(content.media);
      return { image: data, mimetype, caption: content.caption, width: content.width, height: content.height, viewOnce: content.viewOnce, ...thumbnail(content.thumbnail) };
    }
    case 'video': {
      const { data, mimetype } = bytes(content.media);
      return { video: data, mimetype, caption: content.caption, gifPlayback: content.gifPlayback, seconds: content.seconds, width: content.width, height: content.height, viewOnce: content.viewOnce, ...thumbnail(content.thumbnail) };
    }
    case 'audio': {
      const { data, mimetype } = bytes(content.media);
      return { audio: data, mimetype, seconds: content.seconds, ptt: content.voiceNote };
    }
    case 'document': {
      const { data, mimetype } = bytes(content.media);
      return { document: data, mimetype, fileName: filled(content.fileName, 'fileName'), caption: content.caption, ...thumbnail(content.thumbnail) };
    }
    case 'sticker': {
      const { data, mimetype } = bytes(content.media);
      return { sticker: data, mimetype, isAnimated: content.animated };
    }
    case 'location':
      return {
        location: {
          degreesLatitude: coordinate(content.latitude, 90, 'latitude'),
          degreesLongitude: coordinate(content.longitude, 180, 'longitude'),
          ...(content.name ? { name: content.name } : {}),
          ...(content.address ? { address: content.address } : {})
        }
      };
    case 'contacts': {
      const displayName = filled(content.displayName, 'displayName');
      if (!content.vcards.length) throw new EngineInvalidArgumentError('vcards', 'must have at least one vCard');
      const contacts = content.vcards.map((vcard, i) => ({ displayName: content.vcards.length === 1 ? displayName : (vcardName(vcard) ?? displayName), vcard: filled(vcard, `vcards[${i}]`) }));
      return { contacts: { displayName, contacts } };
    }
    case 'poll':
      return poll(content);
    default:
      throw new EngineInvalidArgumentError('type', `cannot send content of type "${(content as { type: unknown }).type}"`);
  }
}

export function prepareContent(content: OutboundContent): PreparedContent {
  switch (content?.type) {
    case 'buttons':
      return { build: 'proto', message: buttonsMessage(content), nodes: [NATIVE_FLOW_NODE] };
    case 'list':
      return { build: 'proto', message: listMessage(content), nodes: [NATIVE_FLOW_NODE] };
    case 'poll':
      return { build: 'baileys', content: baileys(content), nodes: [POLL_CREATION_NODE] };
    default:
      return { build: 'baileys', content: baileys(content), nodes: [] };
  }
}
