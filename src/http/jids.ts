// Turning what callers type (phone numbers, JIDs in WARest's accepted spellings, lists) into normalised JIDs:
// `participants` of group routes (api-compat §2.3) and the `to` recipients of message and chat routes (§2.4).
// Unlike WARest, `@lid` stays a LID (never rewritten to digits) and a leading 0 needs a configured country code.
import { GatewayError, type AppCodeName } from '../core/errors.js';

export const USER_SERVER = 's.whatsapp.net';
const KEPT_SERVERS = new Set(['s.whatsapp.net', 'g.us', 'newsletter', 'broadcast', 'lid']);

export interface PhoneOptions {
  /** Replaces the leading 0 of a national number (WAYGATE_DEFAULT_COUNTRY_CODE); unset → such numbers fail. */
  defaultCountryCode?: string;
}

/** A phone number as international digits, or the reason it is not one. */
export function phoneDigits(raw: string, options: PhoneOptions = {}): { digits: string } | { problem: string } {
  const international = raw.trim().startsWith('+');
  let digits = raw.replace(/\D/g, '');
  if (digits === '') return { problem: 'has no digits' };
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
  } else if (!international && digits.startsWith('0')) {
    if (!options.defaultCountryCode) {
      return {
        problem: 'starts with 0: write it with the country code (e.g. 4915123456789) or set WAYGATE_DEFAULT_COUNTRY_CODE',
      };
    }
    digits = options.defaultCountryCode + digits.slice(1);
  }
  if (!/^\d{6,15}$/.test(digits)) return { problem: 'must have 6 to 15 digits, country code first' };
  return { digits };
}

interface ParsedJid {
  user: string;
  server: string;
}

/** Split `user[:device]@server`, dropping the device; undefined when there is no `@`. */
function splitJid(raw: string): ParsedJid | undefined {
  const at = raw.lastIndexOf('@');
  if (at < 0) return undefined;
  return { user: raw.slice(0, at).split(':')[0]!, server: raw.slice(at + 1).toLowerCase() };
}

function userJid(raw: string, options: PhoneOptions): string | { problem: string } {
  const parsed = phoneDigits(raw, options);
  return 'digits' in parsed ? `${parsed.digits}@${USER_SERVER}` : parsed;
}

/** Entries of a list given as an array, a JSON-array string, or a string split on `,`, `;` or newlines. */
export function listEntries(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'number') return [String(raw)];
  if (typeof raw !== 'string') return raw === undefined || raw === null ? [] : [raw];
  const trimmed = raw.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: fall through to splitting
    }
  }
  return trimmed.split(/[,;\n]+/);
}

function normalizeList(
  name: string,
  raw: unknown,
  code: AppCodeName,
  normalizeOne: (entry: string) => string | { problem: string },
): string[] {
  const result = new Set<string>();
  listEntries(raw).forEach((entry, index) => {
    const text = typeof entry === 'number' ? String(entry) : typeof entry === 'string' ? entry.trim() : undefined;
    if (text === undefined) throw new GatewayError(code, `${name}[${index}] must be a phone number or JID string`);
    if (text === '') return;
    const normalized = normalizeOne(text);
    if (typeof normalized !== 'string') {
      throw new GatewayError(code, `${name}[${index}] "${text.slice(0, 80)}" ${normalized.problem}`);
    }
    result.add(normalized);
  });
  return [...result];
}

export interface ParticipantOptions extends PhoneOptions {
  /** Group creation accepts an empty list. */
  allowEmpty?: boolean;
}

/** Group participants as user JIDs: digits and `@c.us` → `@s.whatsapp.net`, `@lid` kept, devices dropped, de-duplicated. */
export function normalizeParticipants(raw: unknown, options: ParticipantOptions = {}): string[] {
  const participants = normalizeList('participants', raw, 'INVALID_PARAMETER', (entry) => {
    const jid = splitJid(entry);
    if (!jid) return userJid(entry, options);
    if (jid.server === 'lid') return /^\d+$/.test(jid.user) ? `${jid.user}@lid` : { problem: 'is not a valid LID' };
    if (jid.server === USER_SERVER || jid.server === 'c.us') return userJid(jid.user, options);
    return { problem: 'is not a user: use a phone number or a …@s.whatsapp.net, …@c.us or …@lid JID' };
  });
  if (participants.length === 0 && !options.allowEmpty) {
    throw new GatewayError('MISSING_PARAMETER', 'participants is required: send a non-empty array of phone numbers or JIDs');
  }
  return participants;
}

function normalizeRecipient(entry: string, options: PhoneOptions): string | { problem: string } {
  const jid = splitJid(entry);
  if (!jid) return userJid(entry, options);
  if (jid.server === 'c.us' || jid.server === USER_SERVER) return userJid(jid.user, options);
  if (!KEPT_SERVERS.has(jid.server)) return userJid(jid.user, options);
  if (jid.user === '') return { problem: 'has nothing before the @' };
  if (jid.server === 'g.us' && !/^\d+(-\d+)?$/.test(jid.user)) return { problem: 'is not a valid group id' };
  return `${jid.user}@${jid.server}`;
}

/**
 * The recipients of `to`: a list (array, JSON-array string, or `,`/`;`/newline separated) of phone numbers or
 * JIDs. `@s.whatsapp.net`, `@g.us`, `@newsletter`, `@broadcast` and `@lid` are kept; `@c.us` and unknown
 * suffixes become `<digits>@s.whatsapp.net`. De-duplicated, in order.
 */
export function normalizeRecipients(raw: unknown, options: PhoneOptions = {}, name = 'to'): string[] {
  const recipients = normalizeList(name, raw, 'RECIPIENT_INVALID', (entry) => normalizeRecipient(entry, options));
  if (recipients.length === 0) {
    throw new GatewayError('MISSING_PARAMETER', `${name} is required: send a phone number or JID (several: an array)`);
  }
  return recipients;
}

/** Exactly one recipient, for action routes that take a single `to`. */
export function normalizeSingleRecipient(raw: unknown, options: PhoneOptions = {}, name = 'to'): string {
  const [first, ...rest] = normalizeRecipients(raw, options, name);
  if (rest.length > 0) {
    throw new GatewayError('INVALID_PARAMETER', `${name} must be a single recipient, got ${rest.length + 1}`);
  }
  return first!;
}
