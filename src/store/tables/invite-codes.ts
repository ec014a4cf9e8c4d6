// Row type of `invite_codes`: one invite code a group had, as one session saw it, and how it ended.
import type { Generated, Insertable, Selectable } from 'kysely';

/** How the code became known: our revoke (API or policy), a change made on a phone, or reading the group's code. */
export const INVITE_CODE_SOURCES = ['api', 'policy', 'phone', 'initial', 'fetch'] as const;
export type InviteCodeSource = (typeof INVITE_CODE_SOURCES)[number];

export interface InviteCodesTable {
  id: Generated<number>;
  session_id: string;
  group_id: string;
  code: string;
  seen_at: number;
  seen_via: InviteCodeSource;
  revoked_at: number | null;
  /** JSON `{kind, id?, name?, jid?, lid?}`; null while current, or when the revoker is unknown */
  revoked_by: string | null;
}

export type InviteCodeRow = Selectable<InviteCodesTable>;
export type NewInviteCodeRow = Omit<Insertable<InviteCodesTable>, 'id'>;
