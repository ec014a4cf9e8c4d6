// WARest request-field conventions (api-compat §2.2, §2.3): which keys and sources name the session per router,
// and the group id and invite code readers. Each helper throws a GatewayError whose message says what to send.
import { GatewayError } from '../core/errors.js';
import { field } from './credentials.js';
import type { SessionSelector } from '../core/sessions/session-access.js';

/** The request parts fields are read from (a FastifyRequest fits). */
export interface RequestParts {
  body?: unknown;
  query?: unknown;
  params?: unknown;
}

type Source = keyof RequestParts;

export const SESSION_ID_PATTERN = /^[a-zA-Z0-9._-]{1,64}$/;

export type SessionRouter = 'groups' | 'profiles' | 'sessions' | 'messages' | 'chats' | 'misc' | 'wawp';

interface SessionRule {
  keys: string[];
  /** Keys holding the session's own phone number, used to find the caller's open session instead. */
  phoneKeys: string[];
  sources: Source[];
}

const GROUPS_RULE: SessionRule = {
  keys: ['sessionId', 'sessionid', 'id', 'session'],
  phoneKeys: ['phone', 'number', 'user', 'msisdn', 'phonenumber'],
  sources: ['body', 'query', 'params'],
};

// `instance_id` (Wawp) is appended to every router's keys: a Waygate addition.
const SESSION_RULES: Record<SessionRouter, SessionRule> = {
  groups: GROUPS_RULE,
  profiles: GROUPS_RULE,
  sessions: { keys: ['sessionId', 'id', 'session'], phoneKeys: [], sources: ['query', 'body', 'params'] },
  messages: { keys: ['sessionId'], phoneKeys: ['phone'], sources: ['body', 'query'] },
  chats: { keys: ['sessionId', 'session', 'id'], phoneKeys: ['phone'], sources: ['query', 'body', 'params'] },
  // Wawp names the session only `instance_id` (readSessionSelector adds it to every rule); its `id` is the group.
  wawp: { keys: [], phoneKeys: [], sources: ['query', 'body'] },
  misc: {
    keys: ['sessionId', 'session', 'sid'],
    phoneKeys: ['sessionPhone', 'sessionNumber', 'sessionMsisdn', 'senderPhone'],
    sources: ['body', 'query'],
  },
};

/** The first non-empty string among `keys`, trying each source in order (key order first within a source). */
export function readString(
  parts: RequestParts,
  keys: readonly string[],
  sources: readonly Source[] = ['body', 'query'],
): string | undefined {
  for (const source of sources) {
    for (const key of keys) {
      const value = field(parts[source], key);
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
    }
  }
  return undefined;
}

/**
 * Every non-empty value under `keys` in `sources`, each required to be one text value (a repeated query
 * parameter or a JSON array/object is refused: it is how one request could name two sessions).
 */
function readAll(parts: RequestParts, keys: readonly string[], sources: readonly Source[], accept: (value: unknown) => string | undefined): Map<string, string> {
  const found = new Map<string, string>();
  for (const source of sources) {
    for (const key of keys) {
      const raw = field(parts[source], key);
      if (raw === undefined || raw === null) continue;
      const value = accept(raw);
      if (value === undefined) throw new GatewayError('INVALID_PARAMETER', `${key} must be a single text value, not ${Array.isArray(raw) ? 'a list' : typeof raw}`);
      if (value !== '' && !found.has(value)) found.set(value, key);
    }
  }
  return found;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : undefined);
const digits = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).replace(/\D/g, '') : undefined);

function single(found: Map<string, string>, what: string): string | undefined {
  if (found.size > 1) {
    const named = [...found].map(([value, key]) => `${key}=${value.slice(0, 64)}`).join(', ');
    throw new GatewayError('INVALID_PARAMETER', `The request names more than one ${what} (${named}); send one`);
  }
  return found.keys().next().value;
}

/**
 * Which session a request names, per the WARest rules of its router: its id under any alias (and the Wawp
 * `instance_id`) from path, query or body, and the session's own phone number. Every value given must agree;
 * which session that is, and whether the caller may use it, core decides (`SessionAccess`).
 */
export function readSessionSelector(router: SessionRouter, parts: RequestParts): SessionSelector {
  const rule = SESSION_RULES[router];
  const sessionId = single(readAll(parts, [...rule.keys, 'instance_id'], rule.sources, text), 'session');
  if (sessionId !== undefined && !SESSION_ID_PATTERN.test(sessionId)) {
    throw new GatewayError(
      router === 'sessions' ? 'SESSION_REQUIRED' : 'INVALID_PARAMETER',
      `sessionId "${sessionId.slice(0, 80)}" is invalid: use 1 to 64 letters, digits, '.', '_' or '-'`,
    );
  }
  const phone = single(readAll(parts, rule.phoneKeys, rule.sources, digits), 'session phone number');
  return { ...(sessionId !== undefined ? { sessionId } : {}), ...(phone !== undefined ? { phone } : {}) };
}

const GROUP_LOCAL = /^\d+(-\d+)?$/;

/** A group id as `<digits>@g.us`: a bare id gets the suffix; any other `@` suffix is rejected. */
export function normalizeGroupId(raw: string): string {
  const value = raw.trim();
  const at = value.lastIndexOf('@');
  const local = at < 0 ? value : value.slice(0, at);
  if (at >= 0 && value.slice(at + 1).toLowerCase() !== 'g.us') {
    throw new GatewayError('INVALID_PARAMETER', 'groupId must be a group id ending in @g.us');
  }
  if (!GROUP_LOCAL.test(local)) {
    throw new GatewayError(
      'INVALID_PARAMETER',
      `groupId "${value.slice(0, 80)}" is not a group id; expected e.g. 120363012345678901@g.us`,
    );
  }
  return `${local}@g.us`;
}

/** The group id from `groupId|gid|group`. */
export function readGroupId(parts: RequestParts): string {
  const raw = readString(parts, ['groupId', 'gid', 'group'], ['body', 'query', 'params']);
  if (raw === undefined) {
    throw new GatewayError('MISSING_PARAMETER', 'groupId is required: send the group id, e.g. 120363012345678901@g.us');
  }
  return normalizeGroupId(raw);
}

const INVITE_CODE = /[A-Za-z0-9]{10,}/;

/** The invite code inside a `https://chat.whatsapp.com/<code>` link or a bare code; undefined when there is none. */
export function extractInviteCode(raw: string): string | undefined {
  return INVITE_CODE.exec(raw)?.[0];
}

/** The invite code from `inviteLink|link|code`. */
export function readInviteCode(parts: RequestParts): string {
  const raw = readString(parts, ['inviteLink', 'link', 'code'], ['body', 'query']);
  const code = raw === undefined ? undefined : extractInviteCode(raw);
  if (!code) {
    throw new GatewayError(
      'MISSING_PARAMETER',
      'inviteLink is required: send https://chat.whatsapp.com/<code> or the code itself',
    );
  }
  return code;
}

/** A comma-separated query value as its non-empty, trimmed entries (`a, b,` → [a, b]); none → []. */
export function commaList(raw: string | undefined): string[] {
  return raw?.split(',').map((entry) => entry.trim()).filter(Boolean) ?? [];
}
