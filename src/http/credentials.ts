// Where callers put credentials and how we find them: the WARest API-key lookup order (api-compat §5), the Wawp
// instance_id + access_token pair (§7), each read as exactly one value, and masking of credential query parameters before a URL is logged.
import { GatewayError } from '../core/errors.js';

/** The parts of a request credentials can come from (a FastifyRequest fits). */
export interface CredentialSource {
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
  body?: unknown;
}

const KEY_HEADERS = ['x-warest-api-key', 'x-api-key', 'api-key'] as const;
const KEY_QUERY = ['api_key', 'apikey', 'apiKey'] as const;
const AUTHORIZATION = /^(?:Bearer|Token|APIKey)\s+(\S.*)$/i;
// Query parameters masked in logged URLs: credentials, and the signature of a signed media link (whoever reads
// the log could fetch the file until the link expires).
const CREDENTIAL_PARAMS = new Set(['api_key', 'apikey', 'access_token', 'access-token', 'token', 'signature']);

/**
 * The credential's value, trimmed; undefined when absent or empty. A repeated query parameter or a JSON
 * array/object is refused: credentials and the session they name are read in more than one place, and a
 * list would let them disagree.
 */
function single(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new GatewayError('INVALID_PARAMETER', `${name} must be sent once, as text`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Read `key` from a parsed query or JSON body, when that is a plain object. */
export function field(container: unknown, key: string): unknown {
  if (container === null || typeof container !== 'object' || Array.isArray(container)) return undefined;
  return (container as Record<string, unknown>)[key];
}

/** The first non-empty WARest API key: headers, then query, then `Authorization: Bearer|Token|APIKey <key>`. */
export function extractApiKey(source: CredentialSource): string | undefined {
  for (const name of KEY_HEADERS) {
    const value = single(source.headers[name], name);
    if (value) return value;
  }
  for (const name of KEY_QUERY) {
    const value = single(field(source.query, name), name);
    if (value) return value;
  }
  const authorization = single(source.headers.authorization, 'authorization');
  return authorization ? AUTHORIZATION.exec(authorization)?.[1]?.trim() : undefined;
}

export interface SessionToken {
  instanceId: string | undefined;
  token: string;
}

/** Wawp style: `access_token` from the query, the JSON body or the `access-token` header, with `instance_id`. */
export function extractSessionToken(source: CredentialSource): SessionToken | undefined {
  const token =
    single(field(source.query, 'access_token'), 'access_token') ??
    single(field(source.body, 'access_token'), 'access_token') ??
    single(source.headers['access-token'], 'access-token');
  if (!token) return undefined;
  const fromQuery = single(field(source.query, 'instance_id'), 'instance_id');
  const fromBody = single(field(source.body, 'instance_id'), 'instance_id');
  if (fromQuery && fromBody && fromQuery !== fromBody) throw new GatewayError('INVALID_PARAMETER', 'instance_id differs between the query string and the body; send it once');
  const instanceId = fromQuery ?? fromBody;
  return { instanceId, token };
}

/** The URL with credential query parameters masked: request URLs may carry `?api_key=` or `?access_token=`. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  let masked = false;
  for (const name of [...params.keys()]) {
    if (CREDENTIAL_PARAMS.has(name.toLowerCase())) {
      params.set(name, 'redacted');
      masked = true;
    }
  }
  return masked ? `${url.slice(0, queryStart)}?${params.toString()}` : url;
}
