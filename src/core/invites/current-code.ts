// A group's current invite code as Waygate knows it: from the lineage, or read from WhatsApp (and recorded) when
// the lineage has none yet; plus the mapping of WhatsApp's permission refusals on invite operations.
import { EngineRemoteError } from '../../engine/errors.js';
import type { EngineSession } from '../../engine/port.js';
import type { Db } from '../../store/database.js';
import { currentInviteCode, type GroupRef } from '../../store/repos/invite-codes.js';
import { GatewayError } from '../errors.js';
import { recordFetchedCode } from './ledger.js';

/**
 * Runs an invite operation, turning WhatsApp's refusals into what they mean here: 401/403 (we were demoted or
 * removed a moment ago, after our own admin check passed) → 403 GROUP_NOT_ADMIN, 404 → GROUP_NOT_FOUND.
 */
export async function withInvitePermission<T>(groupId: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof EngineRemoteError && (err.code === 401 || err.code === 403)) {
      throw new GatewayError('GROUP_NOT_ADMIN', `WhatsApp refused: this session's number is no longer an admin of group ${groupId} (demoted or removed just now); nothing was changed`, { cause: err });
    }
    if (err instanceof EngineRemoteError && err.code === 404) throw new GatewayError('GROUP_NOT_FOUND', `Group ${groupId} does not exist`, { cause: err });
    throw err;
  }
}

/** Reads the code from WhatsApp (admins only) and records it in the lineage; a change we missed gets its event. */
export async function fetchCurrentCode(db: Db, ref: GroupRef, engine: EngineSession): Promise<string> {
  const code = await withInvitePermission(ref.groupId, () => engine.groups.inviteCode(ref.groupId));
  await recordFetchedCode(db, ref, code);
  return code;
}

/** The lineage's current code, else the one WhatsApp reports. */
export async function knownOrFetchedCode(db: Db, ref: GroupRef, engine: EngineSession): Promise<string> {
  return (await currentInviteCode(db, ref))?.code ?? fetchCurrentCode(db, ref, engine);
}
