// Crypto Hash and Crypto HMAC: a digest of bytes under a named algorithm, encoded as asked. The algorithms are
// a fixed list (those of the n8n node and what WARest passes through to node:crypto), filtered by what this
// Node build's OpenSSL offers; names are matched loosely (SHA-256, sha_256 and sha256 are the same).
import { createHash, createHmac, getHashes } from 'node:crypto';
import { GatewayError } from '../errors.js';

const CANDIDATES = [
  'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-224', 'sha512-256',
  'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'blake2b512', 'blake2s256', 'ripemd160', 'sm3',
];

const listed = new Set(getHashes().map((name) => name.toLowerCase()));

/** Listed is not always usable (an OpenSSL 3 build may list a legacy digest it refuses): try each once. */
function usable(name: string): boolean {
  try {
    createHash(name).update('').digest();
    return listed.has(name);
  } catch {
    return false;
  }
}

/** The algorithms both routes accept, in the order error messages list them. */
export const HASH_ALGORITHMS: readonly string[] = CANDIDATES.filter(usable);

const compact = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const BY_COMPACT = new Map(HASH_ALGORITHMS.map((name) => [compact(name), name]));
BY_COMPACT.set('ripemd', 'ripemd160');
BY_COMPACT.set('rmd160', 'ripemd160');

export const DIGEST_ENCODINGS = ['hex', 'base64', 'base64url', 'binary'] as const;
export type DigestEncoding = (typeof DIGEST_ENCODINGS)[number];

export function hashAlgorithm(raw: string | undefined): string {
  if (raw === undefined) return 'sha256';
  const found = BY_COMPACT.get(compact(raw));
  if (!found) throw new GatewayError('INVALID_PARAMETER', `algo "${raw.slice(0, 40)}" is not supported; use one of ${HASH_ALGORITHMS.join(', ')}`);
  return found;
}

export function digestEncoding(raw: string | undefined): DigestEncoding {
  if (raw === undefined) return 'hex';
  const value = raw.trim().toLowerCase();
  const encoding = value === 'latin1' ? 'binary' : value === 'b64' ? 'base64' : value;
  if (!(DIGEST_ENCODINGS as readonly string[]).includes(encoding)) throw new GatewayError('INVALID_PARAMETER', `output "${raw.slice(0, 40)}" is not a digest encoding; use hex, base64, base64url or binary`);
  return encoding as DigestEncoding;
}

export interface DigestResult {
  data: string;
  meta: { algo: string; output: DigestEncoding; inputSize: number };
}

function encoded(digest: Buffer, encoding: DigestEncoding): string {
  return encoding === 'binary' ? digest.toString('latin1') : digest.toString(encoding);
}

export function hash(input: Buffer, algo?: string, output?: string): DigestResult {
  const name = hashAlgorithm(algo);
  const encoding = digestEncoding(output);
  return { data: encoded(createHash(name).update(input).digest(), encoding), meta: { algo: name, output: encoding, inputSize: input.length } };
}

export function hmac(key: Buffer, input: Buffer, algo?: string, output?: string): DigestResult {
  const name = hashAlgorithm(algo);
  const encoding = digestEncoding(output);
  return { data: encoded(createHmac(name, key).update(input).digest(), encoding), meta: { algo: name, output: encoding, inputSize: input.length } };
}
