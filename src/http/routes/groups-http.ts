// What the group route files share: their deps, the schema fragments for WARest's field aliases (session by
// id or own phone number, `groupId|gid|group`), readers for loosely typed values (switches as words, texts under
// several names, participant lists).
import { GatewayError } from '../../core/errors.js';
import type { Groups } from '../../core/groups/groups.js';
import type { InviteGovernance } from '../../core/invites/invite-governance.js';
import { field } from '../credentials.js';
import { normalizeParticipants, type ParticipantOptions, type PhoneOptions } from '../jids.js';
import { readString, type RequestParts } from '../params.js';

export interface GroupRoutesContext {
  groups: Groups;
  invites: InviteGovernance;
  phones: PhoneOptions;
}

export const TEXT = { type: 'string' } as const;

const SESSION_FIELDS = {
  sessionId: { type: 'string', description: 'the session; aliases sessionid, id, session, or the session’s own number as phone' },
  sessionid: TEXT,
  id: TEXT,
  session: TEXT,
  phone: TEXT,
  number: TEXT,
  user: TEXT,
  msisdn: TEXT,
  phonenumber: TEXT
} as const;

export const GROUP_FIELDS = {
  groupId: { type: 'string', description: 'group id, bare or …@g.us; aliases gid, group' },
  gid: TEXT,
  group: TEXT
} as const;

export const NAME_KEYS = ['groupName', 'name', 'subject'] as const;
export const NAME_FIELDS = { groupName: { type: 'string', description: 'the group name, at most 100 characters; aliases name, subject' }, name: TEXT, subject: TEXT } as const;

export const SWITCH = { type: ['boolean', 'string', 'number'], description: 'true/false, or 1/0, yes/no, y/n, on/off' } as const;

export const PARTICIPANTS = {
  type: ['array', 'string'],
  items: { type: ['string', 'number'] },
  description: 'phone numbers or JIDs (…@s.whatsapp.net, …@c.us, …@lid); a JSON array, or a comma-separated string'
} as const;

/** An object schema of the session fields plus `properties` (query for GET, JSON body otherwise). */
export function fields(properties: Record<string, unknown> = {}) {
  return { type: 'object', properties: { ...SESSION_FIELDS, ...properties } };
}

/** A required text under any of `keys` (the first is the name the error uses). */
export function requiredText(parts: RequestParts, keys: readonly string[], hint: string): string {
  const value = readString(parts, keys);
  if (value === undefined) throw new GatewayError('MISSING_PARAMETER', `${keys[0]} is required: ${hint}`);
  return value;
}

const TRUE = new Set(['1', 'true', 'yes', 'y', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'off']);

/** A boolean given as JSON true/false, 1/0, or one of WARest's words. */
export function readSwitch(parts: RequestParts, key: string): boolean {
  const raw = field(parts.body, key) ?? field(parts.query, key);
  if (typeof raw === 'boolean') return raw;
  const value = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim().toLowerCase() : '';
  if (value === '') throw new GatewayError('MISSING_PARAMETER', `${key} is required: true or false`);
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new GatewayError('INVALID_PARAMETER', `${key} must be true or false (also 1/0, yes/no, on/off), not "${value.slice(0, 40)}"`);
}

export function readParticipants(parts: RequestParts, options: ParticipantOptions): string[] {
  return normalizeParticipants(field(parts.body, 'participants') ?? field(parts.query, 'participants'), options);
}
