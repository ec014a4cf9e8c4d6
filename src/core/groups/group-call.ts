// Running an engine command on a group the caller named: a WhatsApp refusal becomes what it means for a group
// change (core/whatsapp-refusals.ts) and drops the cached metadata, since it shows the cache no longer matches
// what WhatsApp knows. A change WhatsApp does not answer in time may or may not have been applied: it drops the
// cached metadata too and says so, instead of a plain "timed out, retry".
import { EngineRemoteError, EngineTimeoutError } from '../../engine/errors.js';
import { GatewayError } from '../errors.js';
import { refusalFor, type RefusalAction } from '../whatsapp-refusals.js';
import type { GroupContext } from './group-context.js';

export function groupCall<T>(ctx: GroupContext, verb: string, run: () => Promise<T>): Promise<T> {
  return refusingInGroup(ctx, { kind: 'group-change', groupId: ctx.groupId, verb }, run);
}

/** Any command on the context's group (invite codes too): its refusal as `action` means, and a fresh cache. */
export async function refusingInGroup<T>(ctx: Pick<GroupContext, 'groupId' | 'metadata'>, action: RefusalAction, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof EngineTimeoutError) {
      ctx.metadata.invalidate(ctx.groupId);
      throw timedOut(err, ctx.groupId, action);
    }
    // A refusal mapped further down (its cause is WhatsApp's answer) counts too.
    const refusal = refusalFor(err, action) ?? (err instanceof GatewayError && err.cause instanceof EngineRemoteError ? err : undefined);
    if (!refusal) throw err;
    ctx.metadata.invalidate(ctx.groupId);
    throw refusal;
  }
}

/** Engine operations that only read (engine/baileys/groups.ts): when they time out, nothing was changed. */
const READ_OPERATIONS = new Set(['groups.metadata', 'groups.list', 'groups.inviteCode', 'groups.inviteInfo', 'groups.joinRequests', 'profilePictureUrl']);
const READ_VERB = /^(get|list|read)\b/;

function onlyReads(action: RefusalAction, operation: string): boolean {
  if (READ_OPERATIONS.has(operation)) return true;
  return action.kind === 'group-read' || (action.kind === 'group-change' && READ_VERB.test(action.verb));
}

/**
 * 504 DOWNSTREAM_TIMEOUT either way (WARest's code for "WhatsApp did not answer in time", which clients already
 * handle); the message and `results[0].outcome` tell a change whose outcome is unknown ('unknown': read the group
 * before retrying) from a read that changed nothing ('unchanged').
 */
function timedOut(err: EngineTimeoutError, groupId: string, action: RefusalAction): GatewayError {
  const reads = onlyReads(action, err.operation);
  const what = action.kind === 'group-change' ? action.verb : err.operation;
  const details = { groupId, operation: err.operation, timeoutMs: err.timeoutMs, outcome: reads ? 'unchanged' : 'unknown' };
  const message = reads
    ? `WhatsApp did not answer in time (${what}, group ${groupId}, ${err.timeoutMs} ms); nothing was changed, retry`
    : `WhatsApp did not answer in time (${what}, group ${groupId}, ${err.timeoutMs} ms); the change may or may not have been applied — read the group to check before retrying`;
  return new GatewayError('DOWNSTREAM_TIMEOUT', message, { cause: err, details });
}
