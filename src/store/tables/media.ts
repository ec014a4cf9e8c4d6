// Row type of `media`: one file, addressed by the hex SHA-256 of its bytes, and where its bytes can be fetched
// again when they are not stored (the message that carried it).
import type { Insertable, Selectable } from 'kysely';

export interface MediaTable {
  id: string;
  mimetype: string;
  size: number | null;
  file_name: string | null;
  /** 1 once the bytes are in the media storage */
  stored: 0 | 1;
  source_session_id: string | null;
  source_chat_jid: string | null;
  source_message_id: string | null;
  created_at: number;
  last_used_at: number;
}

export type MediaRow = Selectable<MediaTable>;
export type NewMediaRow = Insertable<MediaTable>;
