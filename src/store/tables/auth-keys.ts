// Row type of `auth_keys`: the engine's Signal keys (pre-keys, sessions, sender keys, app-state...),
// keyed by (session, type, key id).
import type { Insertable, Selectable } from 'kysely';

export interface AuthKeysTable {
  session_id: string;
  type: string;
  key_id: string;
  /** Opaque text serialised by the engine adapter (Baileys BufferJSON). */
  value: string;
}

export type AuthKeyRow = Selectable<AuthKeysTable>;
export type NewAuthKeyRow = Insertable<AuthKeysTable>;
