// Running an engine command on a group the caller named: WhatsApp's refusals become the group codes with a
// message saying what is wrong (401 not an admin, 403 not a member, 404 no such group), and a refusal drops
// the cached metadata, since it shows the cache no longer matches what WhatsApp knows.
import { EngineRemoteError } from '../../engine/errors.js';
import { groupNotFound, metadataSource, notAdmin, notMember, type GroupContext } from './group-context.js';

export async function groupCall<T>(ctx: GroupContext, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof EngineRemoteError) || ![401, 403, 404].includes(err.code)) throw err;
    metadataSource(ctx).invalidate(ctx.groupId);
    if (err.code === 401) throw notAdmin(ctx, action);
    if (err.code === 403) throw notMember(ctx, action);
    throw groupNotFound(ctx);
  }
}
