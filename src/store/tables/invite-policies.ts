// Row type of `invite_policies`: the invite automations of one group of one session, all rules in one row.
import type { Insertable, Selectable } from 'kysely';

export type InvitePolicyStatus = 'active' | 'disabled';

export interface InvitePoliciesTable {
  session_id: string;
  group_id: string;
  /** one-shot revoke time; cleared once it fired */
  revoke_at: number | null;
  /** rotation interval in seconds */
  rotate_every: number | null;
  next_rotate_at: number | null;
  one_time: 0 | 1;
  flood_max_joins: number | null;
  flood_window_seconds: number | null;
  flood_enable_approval: 0 | 1;
  status: InvitePolicyStatus;
  disabled_reason: string | null;
  last_fired_at: number | null;
  last_fired_rule: string | null;
  created_at: number;
  updated_at: number;
}

export type InvitePolicyRow = Selectable<InvitePoliciesTable>;
export type NewInvitePolicyRow = Insertable<InvitePoliciesTable>;
