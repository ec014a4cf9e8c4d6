// Running an engine command on a group the caller named: a WhatsApp refusal becomes what it means for a group
// change (core/whatsapp-refusals.ts) and drops the cached metadata, since it shows the cache no longer matches
// what WhatsApp knows.
import { EngineRemoteError } from '../../engine/errors.js';
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
    // A refusal mapped further down (its cause is WhatsApp's answer) counts too.
    const refusal = refusalFor(err, action) ?? (err instanceof GatewayError && err.cause instanceof EngineRemoteError ? err : undefined);
    if (!refusal) throw err;
    ctx.metadata.invalidate(ctx.groupId);
    throw refusal;
  }
}
