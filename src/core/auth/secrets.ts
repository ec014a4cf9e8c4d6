// Generating and hashing API keys and session access tokens. Only SHA-256 hashes are stored; comparisons of
// secrets against stored hashes are constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function hashSecret(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex');
}

/** e.g. `wg_admin_…`, `wg_user_…`, `wg_tok_…`: 32 random bytes, URL-safe, with a prefix that says what it is. */
export function newSecret(kind: 'admin' | 'user' | 'tok'): string {
  return `wg_${kind}_${randomBytes(32).toString('base64url')}`;
}

export function secretMatchesHash(raw: string, storedHash: string | null | undefined): boolean {
  if (!storedHash) return false;
  const actual = Buffer.from(hashSecret(raw), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
