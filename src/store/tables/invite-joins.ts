// Row type of `invite_joins`: someone who came into a group through its invite link, straight in (`link`) or
// through a join request (`request`, pending while `joined_at` is null), with the code current at the time.
import type { Generated, Insertable, Selectable } from 'kysely';

export type InviteJoinMethod = 'link' | 'request';

export interface InviteJoinsTable {
  id: Generated<number>;
  session_id: string;
  group_id: string;
  /** null when no code of the group was known (we could not read it) */
  code: string | null;
  participant_jid: string;
  participant_lid: string | null;
  method: InviteJoinMethod;
  requested_at: number | null;
  joined_at: number | null;
}

export type InviteJoinRow = Selectable<InviteJoinsTable>;
export type NewInviteJoinRow = Omit<Insertable<InviteJoinsTable>, 'id'>;
