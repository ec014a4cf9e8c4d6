// What engine events mean for invite governance: a new code reported by WhatsApp (a human revoked on a phone,
// or the echo of our own revoke, which is already recorded), joins through the link — a member who added
// themselves, or an approved join request — attributed to the code current at the time, and pending requests.
// Each change is applied under the group's lock; joins then go to the policies (one-time link, flood breaker).
import type { EngineSession } from '../../engine/port.js';
import type { ContactRef, GroupJoinRequestUpdate, GroupParticipantsUpdate, GroupUpdate } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import type { GroupRef } from '../../store/repos/invite-codes.js';
import { deletePendingRequests, findPendingRequest, insertInviteJoin, markJoined } from '../../store/repos/invite-joins.js';
import type { EventTranslator, RuntimeLogger } from '../sessions/session-runtime.js';
import { groupKey, type KeyedLock } from './keyed-lock.js';
import { knownOrFetchedCode, recordCodeChange } from './ledger.js';

export interface InviteEventDeps {
  db: Db;
  lock: KeyedLock;
  logger: RuntimeLogger;
  /** a join through `code` was recorded */
  onJoin(ref: GroupRef, code: string): void;
}

const sameUser = (a: ContactRef, b: ContactRef) =>
  a.jid === b.jid || (!!a.lid && a.lid === b.lid) || (!!a.pn && a.pn === b.pn);

function isUs(engine: EngineSession, who: ContactRef): boolean {
  const me = engine.me;
  return !!me && (who.jid === me.id || who.pn === me.id || (!!me.lid && who.lid === me.lid));
}

/** The code to attribute a join to; null when none is known and WhatsApp will not tell us (we are not admin). */
async function attributableCode(deps: InviteEventDeps, ref: GroupRef, engine: EngineSession): Promise<string | null> {
  try {
    return await knownOrFetchedCode(deps.db, ref, engine);
  } catch {
    return null;
  }
}

export function inviteEventTranslator(deps: InviteEventDeps): EventTranslator {
  return (runtime) => {
    const { engine } = runtime;
    const inGroup = <T>(groupId: string, what: string, task: (ref: GroupRef) => Promise<T>): Promise<T | undefined> => {
      const ref = { sessionId: runtime.id, groupId };
      return deps.lock.run(groupKey(ref.sessionId, groupId), () => task(ref)).catch((err) => {
        deps.logger.error({ err, sessionId: runtime.id, groupId }, `could not record ${what}`);
        return undefined;
      });
    };

    const codeChanged = ({ groupId, author, changes }: GroupUpdate) => {
      const code = changes.inviteCode!;
      const revokedBy = author ? { kind: 'phone' as const, jid: author.jid, lid: author.lid } : null;
      void inGroup(groupId, 'an invite code change', (ref) => recordCodeChange(deps.db, { ...ref, code, via: 'phone', author, revokedBy }));
    };

    const joined = ({ groupId, author, participants }: GroupParticipantsUpdate) => {
      // Joining by link is the only add a participant authors for themselves alone (see "Lineage" in the README).
      const selfJoin = participants.length === 1 && !!author && sameUser(author, participants[0]!);
      for (const participant of participants) {
        if (isUs(engine, participant)) continue;
        const who = { jid: participant.jid, lid: participant.lid };
        void inGroup(groupId, 'a join', async (ref) => {
          const at = Date.now();
          if (selfJoin) {
            const code = await attributableCode(deps, ref, engine);
            await insertInviteJoin(deps.db, { ...ref, code, participant: who, method: 'link', joinedAt: at });
            return code;
          }
          const request = await findPendingRequest(deps.db, ref, who);
          if (!request) return null;
          await markJoined(deps.db, request.id, at);
          return request.code;
        }).then((code) => {
          if (code) deps.onJoin({ sessionId: runtime.id, groupId }, code);
        });
      }
    };

    const requested = ({ groupId, participant, action }: GroupJoinRequestUpdate) => {
      const who = { jid: participant.jid, lid: participant.lid };
      void inGroup(groupId, 'a join request', async (ref) => {
        if (action !== 'created') return deletePendingRequests(deps.db, ref, who);
        if (await findPendingRequest(deps.db, ref, who)) return;
        const code = await attributableCode(deps, ref, engine);
        await insertInviteJoin(deps.db, { ...ref, code, participant: who, method: 'request', requestedAt: Date.now() });
      });
    };

    const offs = [
      engine.events.on('group_update', (update) => {
        if (update.changes.inviteCode) codeChanged(update);
      }),
      engine.events.on('group_participants', (update) => {
        if (update.action === 'add') joined(update);
      }),
      engine.events.on('group_join_request', requested),
    ];
    return () => offs.forEach((off) => off());
  };
}
