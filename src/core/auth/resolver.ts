// The AuthResolver the HTTP layer asks: API keys by hash (answers cached briefly, since every request asks),
// and Wawp-style session access tokens, which are valid for their own session only.
import type { Db } from '../../store/database.js';
import { findApiKeyByHash } from '../../store/repos/api-keys.js';
import { getSession } from '../../store/repos/sessions.js';
import type { AuthResolver, Principal } from './principal.js';
import { hashSecret, secretMatchesHash } from './secrets.js';

const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

export interface CachingAuthResolver extends AuthResolver {
  /** Drops cached key answers (after a key is deleted, so it stops working at once on this node). */
  invalidate(): void;
}

export function storeAuthResolver(db: Db): CachingAuthResolver {
  // Only keys that exist are cached, so a flood of wrong keys cannot fill the cache; entries live 5 s, which
  // bounds how long a key deleted on another node keeps working here.
  const cache = new Map<string, { principal: Principal; until: number }>();
  return {
    async resolveApiKey(raw: string): Promise<Principal | null> {
      // The lookup is by SHA-256 of the presented key: timing reveals nothing about stored keys.
      const hash = hashSecret(raw);
      const cached = cache.get(hash);
      if (cached && cached.until > Date.now()) return cached.principal;
      const key = await findApiKeyByHash(db, hash);
      if (!key) return null;
      const principal: Principal = { kind: key.isAdmin ? 'admin' : 'user', keyId: key.id };
      if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
      cache.set(hash, { principal, until: Date.now() + CACHE_TTL_MS });
      return principal;
    },
    async resolveSessionToken(instanceId: string, token: string): Promise<Principal | null> {
      const session = await getSession(db, instanceId);
      if (!session || !secretMatchesHash(token, session.accessTokenHash)) return null;
      return { kind: 'session', sessionId: session.id, keyId: session.ownerKeyId };
    },
    invalidate() {
      cache.clear();
    }
  };
}
