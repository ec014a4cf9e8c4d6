// The invite history of a group as the API shows it: every code with when and how it was seen, when and by whom
// it was revoked, and who joined through it; joins no known code can be tied to are listed apart.
import type { Db } from '../../store/database.js';
import { listInviteCodes, type GroupRef } from '../../store/repos/invite-codes.js';
import { listInviteJoins, type InviteJoin } from '../../store/repos/invite-joins.js';
import { inviteLink } from './ledger.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const describeJoin = (join: InviteJoin) => ({
  jid: join.participant.jid,
  lid: join.participant.lid,
  at: iso(join.joinedAt),
  method: join.method,
  requestedAt: iso(join.requestedAt),
});

export async function inviteHistory(db: Db, ref: GroupRef) {
  const [codes, joins] = await Promise.all([listInviteCodes(db, ref), listInviteJoins(db, ref)]);
  const known = new Set(codes.map((c) => c.code));
  const current = codes.filter((c) => c.revokedAt === null).at(-1);
  return {
    sessionId: ref.sessionId,
    groupId: ref.groupId,
    currentCode: current?.code ?? null,
    inviteLink: current ? inviteLink(current.code) : null,
    codes: codes.map((c) => ({
      code: c.code,
      inviteLink: inviteLink(c.code),
      firstSeenAt: iso(c.seenAt),
      seenVia: c.seenVia,
      revokedAt: iso(c.revokedAt),
      revokedBy: c.revokedBy,
      joins: joins.filter((j) => j.code === c.code).map(describeJoin),
    })),
    unattributedJoins: joins.filter((j) => j.code === null || !known.has(j.code)).map(describeJoin),
  };
}

export type InviteHistory = Awaited<ReturnType<typeof inviteHistory>>;
