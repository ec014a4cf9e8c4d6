// A group's current invite code as Waygate knows it: from the lineage, or read from WhatsApp (and recorded) when
// the lineage has none yet.
import type { EngineSession } from '../../engine/port.js';
import type { Db } from '../../store/database.js';
import { currentInviteCode, type GroupRef } from '../../store/repos/invite-codes.js';
import { refusing } from '../whatsapp-refusals.js';
import { recordFetchedCode } from './ledger.js';

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
