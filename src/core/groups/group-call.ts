// Running an engine command on a group the caller named: a WhatsApp refusal becomes what it means for a group
// change (core/whatsapp-refusals.ts) and drops the cached metadata, since it shows the cache no longer matches
// what WhatsApp knows.
import { refusalFor } from '../whatsapp-refusals.js';
import type { GroupContext } from './group-context.js';

export async function groupCall<T>(ctx: GroupContext, verb: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const refusal = refusalFor(err, { kind: 'group-change', groupId: ctx.groupId, verb });
    if (!refusal) throw err;
    ctx.metadata.invalidate(ctx.groupId);
    throw refusal;
  }
}
