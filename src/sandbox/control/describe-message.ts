// A phone's message as the control API shows it: where it came from, a readable summary of what it says
// (its kind and the fields that kind has) next to the raw proto as JSON, and what happened to it since
// (copies, receipts, stars). Fields left undefined are absent from the JSON answer.
import { getContentType, normalizeMessageContent, proto } from 'baileys';
import { mediaPart } from '../routing/media.js';
import { pollCreationOf } from '../routing/poll-votes.js';
import type { PhoneMessage } from '../world/phone-inbox.js';
import { describeInteractive } from './describe-interactive.js';

const { Type: ProtocolType } = proto.Message.ProtocolMessage;

/** Kinds in the words of the gateway's send routes, by content type (video, audio and protocol messages vary). */
const KINDS: Partial<Record<keyof proto.IMessage, string>> = {
  conversation: 'text',
  extendedTextMessage: 'text',
  imageMessage: 'image',
  ptvMessage: 'videoNote',
  documentMessage: 'document',
  stickerMessage: 'sticker',
  locationMessage: 'location',
  liveLocationMessage: 'liveLocation',
  contactMessage: 'contact',
  contactsArrayMessage: 'contacts',
  pollCreationMessage: 'poll',
  pollCreationMessageV2: 'poll',
  pollCreationMessageV3: 'poll',
  pollCreationMessageV5: 'poll',
  pollUpdateMessage: 'pollVote',
  reactionMessage: 'reaction'
};

const PROTOCOL_KINDS: Partial<Record<proto.Message.ProtocolMessage.Type, string>> = { [ProtocolType.REVOKE]: 'revoke', [ProtocolType.MESSAGE_EDIT]: 'edit' };

/** What kind of message this is; content the sandbox has no kind for keeps its proto field name. */
function kindOf(content: proto.IMessage): string {
  const type = getContentType(content);
  if (type === 'videoMessage') return content.videoMessage?.gifPlayback ? 'gif' : 'video';
  if (type === 'audioMessage') return content.audioMessage?.ptt ? 'voice' : 'audio';
  if (type === 'protocolMessage') {
    const protocolType = content.protocolMessage?.type;
    return (protocolType != null && PROTOCOL_KINDS[protocolType]) || 'protocol';
  }
  return (type && KINDS[type]) ?? describeInteractive(content)?.kind ?? type ?? 'unknown';
}

/** The text a reader sees: the message's text or caption, the new text for an edit. */
function textOf(content: proto.IMessage): string | undefined {
  const edited = content.protocolMessage?.editedMessage;
  if (edited) return textOf(normalizeMessageContent(edited) ?? {});
  return content.conversation ?? content.extendedTextMessage?.text ?? mediaPart(content)?.media.caption ?? undefined;
}

function contextOf(content: proto.IMessage) {
  const type = getContentType(content);
  const part = type ? content[type] : undefined;
  const context = part && typeof part === 'object' && 'contextInfo' in part ? (part.contextInfo as proto.IContextInfo | null) : undefined;
  return {
    mentions: context?.mentionedJid?.length ? context.mentionedJid : undefined,
    quotedId: context?.stanzaId ?? undefined,
    forwarded: context?.isForwarded ? true : undefined
  };
}

const isViewOnce = (message: proto.IMessage): boolean =>
  !!(message.viewOnceMessage ?? message.viewOnceMessageV2 ?? message.viewOnceMessageV2Extension ?? mediaPart(message)?.media.viewOnce);

/** The media's metadata from the message, and what the phone found downloading and decrypting it. */
function mediaOf(content: proto.IMessage, decrypted: PhoneMessage['media']) {
  const media = mediaPart(content)?.media;
  if (!media) return undefined;
  return {
    mimetype: media.mimetype ?? undefined,
    fileName: media.fileName ?? undefined,
    seconds: media.seconds ?? undefined,
    ptt: media.ptt ?? undefined,
    gifPlayback: media.gifPlayback ?? undefined,
    animated: media.isAnimated ?? undefined,
    width: media.width ?? undefined,
    height: media.height ?? undefined,
    thumbnailBytes: media.jpegThumbnail?.length || undefined,
    ...decrypted
  };
}

function locationOf(content: proto.IMessage) {
  const location = content.locationMessage ?? content.liveLocationMessage;
  if (!location) return undefined;
  const named = content.locationMessage;
  return { latitude: location.degreesLatitude, longitude: location.degreesLongitude, name: named?.name ?? undefined, address: named?.address ?? undefined };
}

function contactsOf(content: proto.IMessage) {
  const card = (contact: proto.Message.IContactMessage) => ({ displayName: contact.displayName ?? undefined, vcard: contact.vcard ?? '' });
  if (content.contactMessage) return { cards: [card(content.contactMessage)] };
  const array = content.contactsArrayMessage;
  return array ? { displayName: array.displayName ?? undefined, cards: (array.contacts ?? []).map(card) } : undefined;
}

function pollOf(content: proto.IMessage) {
  const poll = pollCreationOf(content);
  return poll ? { name: poll.name, options: (poll.options ?? []).map((o) => o.optionName), selectableCount: poll.selectableOptionsCount ?? 0 } : undefined;
}

function reactionOf(content: proto.IMessage) {
  const reaction = content.reactionMessage;
  return reaction ? { targetId: reaction.key?.id, emoji: reaction.text ?? '', removed: !reaction.text } : undefined;
}

/** The message an edit or revoke is about. */
function targetOf(content: proto.IMessage, type: proto.Message.ProtocolMessage.Type) {
  const protocol = content.protocolMessage;
  return protocol?.type === type ? { targetId: protocol.key?.id } : undefined;
}

export function describeMessage(message: PhoneMessage) {
  // Decoding a fresh copy gives one representation whether the phone decrypted the message or built it.
  const decoded = proto.Message.decode(proto.Message.encode(message.message).finish());
  const content = normalizeMessageContent(decoded) ?? {};
  const interactive = describeInteractive(content);
  return {
    id: message.id,
    from: message.from,
    fromMe: message.fromMe,
    chat: message.chat,
    participant: message.participant,
    timestamp: message.timestamp,
    type: message.type,
    copies: message.copies,
    kind: kindOf(content),
    text: textOf(content),
    caption: mediaPart(content)?.media.caption ?? undefined,
    ...contextOf(content),
    viewOnce: isViewOnce(decoded) || undefined,
    media: mediaOf(content, message.media),
    location: locationOf(content),
    contacts: contactsOf(content),
    poll: pollOf(content),
    vote: message.vote,
    reaction: reactionOf(content),
    edit: targetOf(content, ProtocolType.MESSAGE_EDIT),
    revoke: targetOf(content, ProtocolType.REVOKE),
    buttons: interactive?.kind === 'buttons' ? interactive.buttons : undefined,
    list: interactive?.kind === 'list' ? interactive.list : undefined,
    starred: message.starred,
    deletedForMe: message.deletedForMe,
    message: decoded.toJSON(),
    receipts: message.receipts
  };
}
