// Message entries of a reply (WARest §6.1.5: text, media, document, location, sticker, vcard, poll, button,
// list) as drafts of the core send; the send itself checks the content as it checks an API request's.
import type { OutboundButton, OutboundListSection } from '../../engine/types.js';
import type { ContactCard, ContentDraft, MediaDraftKind } from '../messages/send-content.js';
import { InvalidAction, readCount, readList, readNumber, readObjects, readText, requireText, type Fields } from './fields.js';
import { targetChat, type StepContext } from './step-context.js';
import type { SendStep } from './steps.js';

type Draft = (entry: Fields) => ContentDraft;

const MEDIA_TYPES: ReadonlySet<string> = new Set<MediaDraftKind>(['image', 'video', 'gif', 'audio']);
const BUTTON_TYPES: ReadonlySet<string> = new Set<OutboundButton['type']>(['reply', 'url', 'call', 'copy']);

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

function media(entry: Fields): ContentDraft {
  // Without a mediaType the bytes decide between image and video.
  const mediaType = readText(entry, 'mediaType') ?? 'media';
  if (mediaType !== 'media' && !MEDIA_TYPES.has(mediaType)) throw new InvalidAction(`mediaType must be image, video, gif or audio, not "${mediaType.slice(0, 20)}"`);
  return { type: mediaType as MediaDraftKind, source: requireText(entry, 'url'), field: 'url', ...optional('caption', readText(entry, 'caption')) };
}

function document(entry: Fields): ContentDraft {
  return {
    type: 'document',
    source: requireText(entry, 'url'),
    field: 'url',
    ...optional('fileName', readText(entry, 'filename', 'fileName')),
    ...optional('caption', readText(entry, 'caption'))
  };
}

function sticker(entry: Fields): ContentDraft {
  const field = ['webpUrl', 'imageUrl', 'url'].find((name) => readText(entry, name) !== undefined);
  if (!field) throw new InvalidAction('webpUrl (or imageUrl) is required');
  return { type: 'sticker', source: readText(entry, field)!, field };
}

function location(entry: Fields): ContentDraft {
  const latitude = readNumber(entry, 'lat', 'latitude');
  const longitude = readNumber(entry, 'lng', 'lon', 'longitude');
  if (latitude === undefined || longitude === undefined) throw new InvalidAction('lat and lng are required');
  return { type: 'location', latitude, longitude, ...optional('name', readText(entry, 'name')), ...optional('address', readText(entry, 'address')) };
}

function contactCard(card: Fields): ContactCard {
  return {
    name: requireText(card, 'name', 'fullName', 'displayName'),
    phone: requireText(card, 'phone', 'number', 'phoneNumber'),
    ...optional('organization', readText(card, 'organization', 'org')),
    ...optional('email', readText(card, 'email'))
  };
}

function vcard(entry: Fields): ContentDraft {
  const cards = readObjects(entry, 'contact', 'contacts');
  if (!cards) throw new InvalidAction('contact is required: {name, phone}');
  return { type: 'contact', contacts: cards.map(contactCard) };
}

function poll(entry: Fields): ContentDraft {
  const options = readList(entry, 'options');
  if (!options) throw new InvalidAction('options is required: the answers to choose from');
  const maxSelection = readCount(entry, 'maxSelection', 'selectableCount');
  return { type: 'poll', question: requireText(entry, 'question', 'name'), options, ...(maxSelection === undefined ? {} : { maxSelection }) };
}

function button(raw: Fields): OutboundButton {
  const url = readText(raw, 'url');
  const phoneNumber = readText(raw, 'phoneNumber', 'phone');
  const copyCode = readText(raw, 'copyCode', 'code');
  const given = readText(raw, 'type');
  const type = given && BUTTON_TYPES.has(given) ? (given as OutboundButton['type']) : url ? 'url' : phoneNumber ? 'call' : copyCode ? 'copy' : 'reply';
  return {
    type,
    displayText: requireText(raw, 'displayText', 'text', 'title'),
    ...optional('id', readText(raw, 'id')),
    ...optional('url', url),
    ...optional('phoneNumber', phoneNumber),
    ...optional('copyCode', copyCode)
  };
}

function buttons(entry: Fields): ContentDraft {
  return {
    type: 'buttons',
    text: requireText(entry, 'text', 'message'),
    ...optional('footer', readText(entry, 'footer')),
    buttons: (readObjects(entry, 'buttons') ?? []).map(button)
  };
}

function section(raw: Fields): OutboundListSection {
  const rows = (readObjects(raw, 'rows') ?? []).map((row) => ({
    id: readText(row, 'id', 'rowId') ?? '',
    title: readText(row, 'title') ?? '',
    ...optional('description', readText(row, 'description'))
  }));
  return { title: readText(raw, 'title') ?? '', rows };
}

/** `list` holds {buttonText, sections, title?} or is the sections themselves; the entry may hold them too. */
function list(entry: Fields): ContentDraft {
  const nested = entry.list;
  const holder: Fields = nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? (nested as Fields) : entry;
  const sections = Array.isArray(nested) ? readObjects(entry, 'list') : readObjects(holder, 'sections');
  if (!sections) throw new InvalidAction('list.sections is required: sections of rows with an id and a title');
  const buttonText = readText(holder, 'buttonText') ?? readText(entry, 'buttonText');
  if (!buttonText) throw new InvalidAction('list.buttonText is required: the label of the button that opens the list');
  return {
    type: 'list',
    text: requireText(entry, 'text', 'message'),
    buttonText,
    sections: sections.map(section),
    ...optional('footer', readText(holder, 'footer') ?? readText(entry, 'footer')),
    ...optional('title', readText(holder, 'title') ?? readText(entry, 'title'))
  };
}

const DRAFTS: ReadonlyMap<string, Draft> = new Map<string, Draft>([
  ['text', (entry) => ({ type: 'text', text: requireText(entry, 'text', 'message') })],
  ['media', media],
  ['document', document],
  ['location', location],
  ['sticker', sticker],
  ['vcard', vcard],
  ['poll', poll],
  ['button', buttons],
  ['buttons', buttons],
  ['list', list]
]);

export const isMessageType = (type: string): boolean => DRAFTS.has(type);

/**
 * A send of the entry's content to `to` (default: the event's chat). Mentions are the `@<digits>` of the text,
 * as for API sends; an entry's `mentions` list adds nothing the text does not say.
 */
export function messageStep(path: string, type: string, entry: Fields, context: StepContext): SendStep {
  const content = DRAFTS.get(type)!(entry);
  return { kind: 'send', path, type, to: targetChat(entry, context), content, ...optional('replyTo', readText(entry, 'replyTo', 'quotedMessageId')) };
}
