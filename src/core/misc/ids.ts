// Generate and validate UUIDs (versions 1, 3, 4, 5, 6, 7, nil and max, via `uuid`) and ULIDs (monotonic within
// one request, via `ulid`), with WARest's optional format mask ("xxxx-xxxx": each x takes the next character).
import { decodeTime, isValid as isUlid, monotonicFactory } from 'ulid';
import { MAX, NIL, v1, v3, v4, v5, v6, v7, validate, version as uuidVersion } from 'uuid';
import { GatewayError } from '../errors.js';

export const MAX_IDS = 100;
const UUID_VERSIONS = ['v1', 'v3', 'v4', 'v5', 'v6', 'v7', 'nil', 'max'] as const;
type UuidVersion = (typeof UUID_VERSIONS)[number];

const NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};

export type IdType = 'uuid' | 'ulid';

export interface GenerateInput {
  type?: string;
  version?: string;
  namespace?: string;
  name?: string;
  format?: string;
  /** 0 or absent: one */
  count?: number;
}

export interface GeneratedIds {
  data: string[];
  type: IdType;
  version: string | null;
  count: number;
}

function idType(raw: string | undefined): IdType {
  const value = (raw ?? 'uuid').trim().toLowerCase();
  if (value !== 'uuid' && value !== 'ulid') throw new GatewayError('INVALID_PARAMETER', `type "${raw?.slice(0, 40)}" is not uuid or ulid`);
  return value;
}

export function uuidVersionOf(raw: string | undefined): UuidVersion {
  const value = (raw ?? 'v4').trim().toLowerCase();
  const named = /^\d+$/.test(value) ? `v${value}` : value;
  if (!(UUID_VERSIONS as readonly string[]).includes(named)) {
    throw new GatewayError('INVALID_PARAMETER', `version "${raw?.slice(0, 20)}" is not supported; use v1, v3, v4, v5, v6, v7, nil or max`);
  }
  return named as UuidVersion;
}

function namespaceOf(raw: string | undefined, version: string): string {
  if (!raw) throw new GatewayError('MISSING_PARAMETER', `namespace and name are required for UUID ${version}: namespace a UUID (or dns, url, oid, x500), name any text`);
  const value = NAMESPACES[raw.trim().toLowerCase()] ?? raw.trim();
  if (!validate(value)) throw new GatewayError('INVALID_PARAMETER', `namespace "${raw.slice(0, 60)}" is not a UUID; use a UUID or one of dns, url, oid, x500`);
  return value;
}

/** Applies a format: a mask of x's, or one of compact, upper, lower, braces, urn. */
export function formatId(id: string, format: string | undefined, type: IdType): string {
  if (!format) return id;
  const keyword = format.trim().toLowerCase();
  const bare = type === 'uuid' ? id.replace(/-/g, '') : id;
  switch (keyword) {
    case 'compact': case 'nodash': case 'hex': return bare;
    case 'upper': case 'uppercase': return id.toUpperCase();
    case 'lower': case 'lowercase': return id.toLowerCase();
    case 'braces': return `{${id}}`;
    case 'urn': return type === 'uuid' ? `urn:uuid:${id}` : id;
  }
  const slots = [...format].filter((ch) => ch === 'x' || ch === 'X').length;
  if (slots === 0) throw new GatewayError('INVALID_PARAMETER', 'format must be a mask of x characters (e.g. xxxx-xxxx) or one of compact, upper, lower, braces, urn');
  if (slots > bare.length) throw new GatewayError('INVALID_PARAMETER', `format has ${slots} x's but a ${type} has only ${bare.length} characters`);
  let next = 0;
  return [...format].map((ch) => (ch === 'x' || ch === 'X' ? bare[next++]! : ch)).join('');
}

export function generateIds(input: GenerateInput): GeneratedIds {
  const type = idType(input.type);
  const count = input.count === undefined || input.count === 0 ? 1 : input.count;
  if (!Number.isInteger(count) || count < 1 || count > MAX_IDS) throw new GatewayError('INVALID_PARAMETER', `count must be a whole number from 1 to ${MAX_IDS}`);
  if (type === 'ulid') {
    const next = monotonicFactory();
    return { data: Array.from({ length: count }, () => formatId(next(), input.format, type)), type, version: null, count };
  }
  const version = uuidVersionOf(input.version);
  let make: () => string;
  switch (version) {
    case 'v1': make = () => v1(); break;
    case 'v4': make = () => v4(); break;
    case 'v6': make = () => v6(); break;
    case 'v7': make = () => v7(); break;
    case 'nil': make = () => NIL; break;
    case 'max': make = () => MAX; break;
    case 'v3':
    case 'v5': {
      const namespace = namespaceOf(input.namespace, version);
      if (!input.name) throw new GatewayError('MISSING_PARAMETER', `name is required for UUID ${version}: the text to derive the UUID from`);
      const name = input.name;
      make = () => (version === 'v3' ? v3(name, namespace) : v5(name, namespace));
      break;
    }
  }
  return { data: Array.from({ length: count }, () => formatId(make(), input.format, type)), type, version, count };
}

export interface IdValidation {
  isValid: boolean;
  type: IdType;
  /** "v4" … for UUIDs, "nil" and "max" for the two special ones; null for ULIDs and invalid values */
  version: string | null;
  /** the canonical form: lower-case hyphenated UUID, upper-case ULID; null when invalid */
  normalized: string | null;
  /** when the id carries its creation time (ULID, UUID v7): unix milliseconds */
  timestamp: number | null;
}

function validateUuid(value: string): IdValidation {
  const canonical = value.trim().replace(/^urn:uuid:/i, '').replace(/^\{(.*)\}$/, '$1').toLowerCase();
  if (!validate(canonical)) return { isValid: false, type: 'uuid', version: null, normalized: null, timestamp: null };
  const version = canonical === NIL ? 'nil' : canonical === MAX.toLowerCase() ? 'max' : `v${uuidVersion(canonical)}`;
  const timestamp = version === 'v7' ? parseInt(canonical.replace(/-/g, '').slice(0, 12), 16) : null;
  return { isValid: true, type: 'uuid', version, normalized: canonical, timestamp };
}

function validateUlid(value: string): IdValidation {
  const upper = value.trim().toUpperCase();
  const invalid: IdValidation = { isValid: false, type: 'ulid', version: null, normalized: null, timestamp: null };
  if (!isUlid(upper)) return invalid;
  try {
    return { isValid: true, type: 'ulid', version: null, normalized: upper, timestamp: decodeTime(upper) };
  } catch {
    return invalid; // a time part over 48 bits
  }
}

/** Validates as the given type, or (no type) as whichever the value looks like: 26 characters is a ULID. */
export function validateId(value: string, type?: string): IdValidation {
  if (type !== undefined) return idType(type) === 'ulid' ? validateUlid(value) : validateUuid(value);
  return value.trim().length === 26 ? validateUlid(value) : validateUuid(value);
}
