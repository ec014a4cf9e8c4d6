// The invite lineage: a group's new current code (ending the previous one, with who revoked it) written together
// with its `group.update` event in one transaction, codes read from WhatsApp (the first one, or a missed change),
// and the current code as Waygate knows it (from the lineage, else read from WhatsApp and recorded).
import type { EngineSession } from '../../engine/port.js';
import type { ContactRef } from '../../engine/types.js';
import { appendEvent } from '../../events/outbox.js';
import type { Db } from '../../store/database.js';
import {
  currentInviteCode,
  findInviteCode,
  insertInviteCode,
  markInviteCodeRevoked,
  type GroupRef,
  type InviteCodeSource,
  type Revoker,
} from '../../store/repos/invite-codes.js';
import { transaction } from '../../store/transaction.js';
import { refusing } from '../whatsapp-refusals.js';

export const inviteLink = (code: string) => `https://chat.whatsapp.com/${code}`;

export interface CodeChange extends GroupRef {
  code: string;
  via: InviteCodeSource;
  /** who made the change on WhatsApp (our own number for API and policy revokes); null when unknown */
  author: ContactRef | null;
  revokedBy: Revoker | null;
}

/**
 * Records `code` as the group's current code and emits `group.update`. @returns the code it replaced (null when
 * none was known), or undefined when the code was already in the lineage (e.g. the engine echoing our own revoke).
 */
export function recordCodeChange(db: Db, change: CodeChange, now = Date.now()): Promise<{ previousCode: string | null } | undefined> {
  return transaction(db, async (trx) => {
    if (await findInviteCode(trx, change, change.code)) return undefined;
    const current = await currentInviteCode(trx, change);
    if (current) await markInviteCodeRevoked(trx, current.id, now, change.revokedBy);
    await insertInviteCode(trx, { sessionId: change.sessionId, groupId: change.groupId, code: change.code, seenVia: change.via, seenAt: now });
    const previousCode = current?.code ?? null;
    await appendEvent(trx, {
      sessionId: change.sessionId,
      event: 'group.update',
      payload: {
        id: change.sessionId,
        groupId: change.groupId,
        author: change.author,
        // `update` is the WARest/Baileys `groups.update` entry consumers of group_update already read.
        update: { id: change.groupId, inviteCode: change.code, author: change.author?.jid ?? null },
        changes: { inviteCode: change.code, previousCode },
        inviteLink: inviteLink(change.code),
        revokedBy: change.revokedBy,
      },
    }, now);
    return { previousCode };
  });
}

/**
 * Records a code read from WhatsApp: the group's first known code (`initial`, no event: nothing changed), or
 * a change that happened while we were not listening (`fetch`, revoker unknown, with its event).
 */
export async function recordFetchedCode(db: Db, ref: GroupRef, code: string, now = Date.now()): Promise<void> {
  const current = await currentInviteCode(db, ref);
  if (current?.code === code) return;
  if (current) {
    await recordCodeChange(db, { ...ref, code, via: 'fetch', author: null, revokedBy: null }, now);
    return;
  }
  if (!(await findInviteCode(db, ref, code))) await insertInviteCode(db, { ...ref, code, seenVia: 'initial', seenAt: now });
}

/** Reads the code from WhatsApp (admins only) and records it in the lineage; a change we missed gets its event. */
export async function fetchCurrentCode(db: Db, ref: GroupRef, engine: EngineSession): Promise<string> {
  const code = await refusing({ kind: 'invite-admin', groupId: ref.groupId }, () => engine.groups.inviteCode(ref.groupId));
  await recordFetchedCode(db, ref, code);
  return code;
}

/** The lineage's current code, else the one WhatsApp reports. */
export async function knownOrFetchedCode(db: Db, ref: GroupRef, engine: EngineSession): Promise<string> {
  return (await currentInviteCode(db, ref))?.code ?? fetchCurrentCode(db, ref, engine);
}
