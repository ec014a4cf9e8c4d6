// The AuthResolver the HTTP layer asks: API keys by hash, and Wawp-style session access tokens, which are
// valid for their own session only.
import type { Db } from '../../store/database.js';
import { findApiKeyByHash } from '../../store/repos/api-keys.js';
import { getSession } from '../../store/repos/sessions.js';
import type { AuthResolver, Principal } from '../../http/types.js';
import { hashSecret, secretMatchesHash } from './secrets.js';

export function storeAuthResolver(db: Db): AuthResolver {
  return {
    async resolveApiKey(raw: string): Promise<Principal | null> {
      // The lookup is by SHA-256 of the presented key: timing reveals nothing about stored keys.
      const key = await findApiKeyByHash(db, hashSecret(raw));
      if (!key) return null;
      return { kind: key.isAdmin ? 'admin' : 'user', keyId: key.id };
    },
    async resolveSessionToken(instanceId: string, token: string): Promise<Principal | null> {
      const session = await getSession(db, instanceId);
      if (!session || !secretMatchesHash(token, session.accessTokenHash)) return null;
      return { kind: 'session', sessionId: session.id, keyId: session.ownerKeyId };
    }
  };
}
