// What a send asks for, checked against WhatsApp's rules before anything is stored or sent: non-empty text,
// polls of 2–12 distinct options, at most 3 buttons, lists with rows, coordinates in range, contacts with a
// number. Media drafts carry the user's source (URL, data URI, allowed path) until they are prepared.
import type { OutboundButton, OutboundContent, OutboundListSection } from '../../engine/types.js';

/** Content without media: sent as checked, nothing to load or convert. */
export type PlainContent = Exclude<OutboundContent, { media: unknown }>;
import { GatewayError } from '../errors.js';

/** `media`: an image or a video, as the bytes say; `file`: an image, video or audio as such, anything else a document. */
export type MediaDraftKind = 'image' | 'video' | 'media' | 'audio' | 'gif' | 'document' | 'sticker' | 'file';

export interface MediaDraft {
  type: MediaDraftKind;
  /** a URL, a data URI or an allowed server path, as the user sent it */
  source: string;
  /** the request field it came from, for error messages */
  field: string;
  caption?: string;
  fileName?: string;
  viewOnce?: boolean;
  compress?: boolean;
  /** audio: send as a voice note (converted to OGG/Opus) */
  voiceNote?: boolean;
}

export interface ContactCard {
  name: string;
  phone: string;
  organization?: string;
  email?: string;
}

export type ContentDraft =
  | { type: 'text'; text: string }
  | MediaDraft
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'contact'; contacts: ContactCard[] }
  | { type: 'poll'; question: string; options: string[]; maxSelection?: number }
  | { type: 'buttons'; text: string; footer?: string; buttons: OutboundButton[] }
  | { type: 'list'; text: string; footer?: string; title?: string; buttonText: string; sections: OutboundListSection[] };

export const MEDIA_DRAFT_KINDS: readonly MediaDraftKind[] = ['image', 'video', 'media', 'audio', 'gif', 'document', 'sticker', 'file'];

export function isMediaDraft(draft: ContentDraft): draft is MediaDraft {
  return (MEDIA_DRAFT_KINDS as readonly string[]).includes(draft.type);
}

/** WhatsApp's text limit (65,536 characters). */
export const MAX_TEXT_LENGTH = 65_536;
const MAX_POLL_OPTIONS = 12;
const MAX_BUTTONS = 3;

function requireText(text: string, field: string): string {
  if (text.trim() === '') throw new GatewayError('MISSING_PARAMETER', `${field} is required: send a non-empty text`);
  if (text.length > MAX_TEXT_LENGTH) throw new GatewayError('MESSAGE_TOO_LONG', `${field} has ${text.length} characters; WhatsApp takes at most ${MAX_TEXT_LENGTH}`);
  return text;
}

function poll(draft: Extract<ContentDraft, { type: 'poll' }>): PlainContent {
  const name = requireText(draft.question, 'question');
  const options = draft.options.map((o) => o.trim());
  if (options.length < 2 || options.length > MAX_POLL_OPTIONS) {
    throw new GatewayError('POLL_INVALID', `options must hold 2 to ${MAX_POLL_OPTIONS} answers, got ${options.length}`);
  }
  if (options.some((o) => o === '')) throw new GatewayError('POLL_INVALID', 'options must not contain empty answers');
  const duplicates = options.filter((o, i) => options.indexOf(o) !== i);
  if (duplicates.length) throw new GatewayError('POLL_INVALID', `options must be distinct; repeated: ${[...new Set(duplicates)].join(', ')}`);
  const maxSelection = draft.maxSelection ?? 1;
  if (!Number.isInteger(maxSelection) || maxSelection < 0 || maxSelection > options.length) {
    throw new GatewayError('POLL_INVALID', `maxSelection must be a whole number from 0 (any number) to ${options.length} (the number of options)`);
  }
  return { type: 'poll', name, options, selectableCount: maxSelection };
}

function buttons(draft: Extract<ContentDraft, { type: 'buttons' }>): PlainContent {
  const text = requireText(draft.text, 'text');
  if (draft.buttons.length === 0) throw new GatewayError('MISSING_PARAMETER', 'buttons is required: send 1 to 3 buttons');
  if (draft.buttons.length > MAX_BUTTONS) throw new GatewayError('BUTTONS_LIMIT_EXCEEDED', `WhatsApp shows at most ${MAX_BUTTONS} buttons; got ${draft.buttons.length}`);
  draft.buttons.forEach((button, i) => {
    if (!button.displayText?.trim()) throw new GatewayError('INVALID_PARAMETER', `buttons[${i}].displayText is required`);
    const needs = { url: 'url', call: 'phoneNumber', copy: 'copyCode', reply: undefined }[button.type];
    if (needs && !button[needs as keyof OutboundButton]) throw new GatewayError('INVALID_PARAMETER', `buttons[${i}] of type ${button.type} needs ${needs}`);
    if (button.type === 'url' && !/^https?:\/\//i.test(button.url ?? '')) throw new GatewayError('INVALID_PARAMETER', `buttons[${i}].url must be an http(s) URL`);
  });
  const withIds = draft.buttons.map((b, i) => (b.type === 'reply' && !b.id ? { ...b, id: `btn-${i + 1}` } : b));
  return { type: 'buttons', text, ...(draft.footer ? { footer: draft.footer } : {}), buttons: withIds };
}

function list(draft: Extract<ContentDraft, { type: 'list' }>): PlainContent {
  const text = requireText(draft.text, 'text');
  if (!draft.buttonText.trim()) throw new GatewayError('LIST_FORMAT_INVALID', 'list.buttonText is required: the label of the button that opens the list');
  const sections = draft.sections.map((s) => ({ ...s, rows: s.rows.filter((r) => r.id && r.title) })).filter((s) => s.rows.length > 0);
  if (sections.length === 0) throw new GatewayError('LIST_FORMAT_INVALID', 'list.sections must hold at least one row with an id and a title');
  const ids = sections.flatMap((s) => s.rows.map((r) => r.id));
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length) throw new GatewayError('LIST_FORMAT_INVALID', `list row ids must be distinct; repeated: ${[...new Set(repeated)].join(', ')}`);
  return { type: 'list', text, buttonText: draft.buttonText, sections, ...(draft.footer ? { footer: draft.footer } : {}), ...(draft.title ? { title: draft.title } : {}) };
}

function location(draft: Extract<ContentDraft, { type: 'location' }>): PlainContent {
  const { latitude, longitude } = draft;
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) throw new GatewayError('INVALID_PARAMETER', `location.latitude must be between -90 and 90, got ${latitude}`);
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) throw new GatewayError('INVALID_PARAMETER', `location.longitude must be between -180 and 180, got ${longitude}`);
  return { type: 'location', latitude, longitude, ...(draft.name ? { name: draft.name } : {}), ...(draft.address ? { address: draft.address } : {}) };
}

const vcardEscape = (value: string) => value.replace(/([\\;,])/g, '\\$1').replace(/\r?\n/g, '\\n');

function vcard(card: ContactCard): string {
  const digits = card.phone.replace(/\D/g, '');
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `FN:${vcardEscape(card.name)}`,
    ...(card.organization ? [`ORG:${vcardEscape(card.organization)}`] : []),
    ...(card.email ? [`EMAIL:${vcardEscape(card.email)}`] : []),
    `TEL;type=CELL;type=VOICE;waid=${digits}:+${digits}`,
    'END:VCARD'
  ].join('\n');
}

function contacts(draft: Extract<ContentDraft, { type: 'contact' }>): PlainContent {
  if (draft.contacts.length === 0) throw new GatewayError('MISSING_PARAMETER', 'contact is required: send {name, phone}');
  draft.contacts.forEach((card, i) => {
    if (!card.name?.trim()) throw new GatewayError('INVALID_PARAMETER', `contact${draft.contacts.length > 1 ? `[${i}]` : ''}.name (or fullName) is required`);
    if (!/^\d{6,15}$/.test(card.phone.replace(/\D/g, ''))) throw new GatewayError('INVALID_PARAMETER', `contact${draft.contacts.length > 1 ? `[${i}]` : ''}.phone must be a phone number with 6 to 15 digits, country code first`);
  });
  const displayName = draft.contacts.length === 1 ? draft.contacts[0]!.name : `${draft.contacts.length} contacts`;
  return { type: 'contacts', displayName, vcards: draft.contacts.map(vcard) };
}

/** Non-media content, checked and in the engine's shape. */
export function checkedContent(draft: Exclude<ContentDraft, MediaDraft>): PlainContent {
  switch (draft.type) {
    case 'text':
      return { type: 'text', text: requireText(draft.text, 'message') };
    case 'poll':
      return poll(draft);
    case 'buttons':
      return buttons(draft);
    case 'list':
      return list(draft);
    case 'location':
      return location(draft);
    case 'contact':
      return contacts(draft);
  }
}

/** User JIDs mentioned in a text as `@` + 6–20 digits (how WhatsApp clients write mentions). */
export function mentionsIn(text: string | undefined): string[] {
  if (!text) return [];
  return [...new Set([...text.matchAll(/@(\d{6,20})\b/g)].map((m) => `${m[1]}@s.whatsapp.net`))];
}
