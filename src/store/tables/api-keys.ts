// Row type of `api_keys`: API keys stored as SHA-256 hex, each carrying the WARest user identity
// (registry, username) that webhook signing needs.
import type { Insertable, Selectable } from 'kysely';

export interface ApiKeysTable {
  id: string;
  /** Display name; also the WARest "username" mixed into webhook signing keys. */
  name: string;
  /** WARest owner id: 10 uppercase letters, unique. */
  registry: string;
  key_hash: string;
  is_admin: 0 | 1;
  created_at: number;
}

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type NewApiKeyRow = Insertable<ApiKeysTable>;
