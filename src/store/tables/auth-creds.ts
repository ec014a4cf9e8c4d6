// Row type of `auth_creds`: the engine's serialised credentials, one row per session.
import type { Insertable, Selectable } from 'kysely';

export interface AuthCredsTable {
  session_id: string;
  /** Opaque text serialised by the engine adapter (Baileys BufferJSON). */
  creds: string;
  updated_at: number;
}

export type AuthCredsRow = Selectable<AuthCredsTable>;
export type NewAuthCredsRow = Insertable<AuthCredsTable>;
