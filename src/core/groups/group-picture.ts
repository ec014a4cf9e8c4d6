// A group's picture: read its URL, set it from a data URI or URL (after the permission check, so nothing is
// downloaded for a caller who may not change it), or remove it.
import { EngineError } from '../../engine/errors.js';
import { GatewayError } from '../errors.js';
import { requireEditor, requireMember, type GroupContext } from './group-context.js';
import { groupCall } from './group-call.js';
import { resultBase, succeeded, type Outcome } from './group-view.js';
import { loadPicture, type PictureLoadOptions, type PictureSource } from './picture-input.js';

const readPicture = (ctx: GroupContext) => groupCall(ctx, 'get the group picture', () => ctx.engine.groups.picture(ctx.groupId, { highRes: true }));

export async function getGroupPicture(ctx: GroupContext): Promise<Outcome> {
  await requireMember(ctx);
  return succeeded('Group picture', { ...resultBase(ctx), pictureUrl: await readPicture(ctx) });
}

export async function setGroupPicture(ctx: GroupContext, source: PictureSource, options: PictureLoadOptions): Promise<Outcome> {
  await requireEditor(ctx, 'change the group picture');
  const image = await loadPicture(source, options);
  await groupCall(ctx, 'change the group picture', async () => {
    try {
      await ctx.engine.groups.setPicture(ctx.groupId, image);
    } catch (err) {
      // The engine's image library failing on the bytes is the only failure that is not an engine error.
      if (err instanceof EngineError) throw err;
      throw new GatewayError('INVALID_PARAMETER', `picture is invalid or unreadable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  });
  const pictureUrl = await readPicture(ctx);
  return succeeded('Group picture updated', { ...resultBase(ctx), pictureUrl, status: 'success update group picture' });
}

export async function removeGroupPicture(ctx: GroupContext): Promise<Outcome> {
  await requireEditor(ctx, 'remove the group picture');
  await groupCall(ctx, 'remove the group picture', () => ctx.engine.groups.removePicture(ctx.groupId));
  return succeeded('Group picture removed', { ...resultBase(ctx), status: 'success remove group picture' });
}
