// A group's picture: read its URL, set it from a data URI or URL (after the permission check, so nothing is
// downloaded for a caller who may not change it), or remove it.
import { EngineError } from '../../engine/errors.js';
import { GatewayError } from '../errors.js';
import { actedOn, requireEditor, requireMember, type ActedOn, type GroupContext } from './group-context.js';
import { groupCall } from './group-call.js';
import { loadPicture, type PictureLoadOptions, type PictureSource } from './picture-input.js';

export interface GroupPicture {
  on: ActedOn;
  /** null: the group has none */
  pictureUrl: string | null;
}

const readPicture = (ctx: GroupContext) => groupCall(ctx, 'get the group picture', () => ctx.engine.groups.picture(ctx.groupId, { highRes: true }));

export async function getGroupPicture(ctx: GroupContext): Promise<GroupPicture> {
  await requireMember(ctx);
  return { on: actedOn(ctx), pictureUrl: await readPicture(ctx) };
}

export async function setGroupPicture(ctx: GroupContext, source: PictureSource, options: PictureLoadOptions): Promise<GroupPicture> {
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
  return { on: actedOn(ctx), pictureUrl: await readPicture(ctx) };
}

export async function removeGroupPicture(ctx: GroupContext): Promise<{ on: ActedOn }> {
  await requireEditor(ctx, 'remove the group picture');
  await groupCall(ctx, 'remove the group picture', () => ctx.engine.groups.removePicture(ctx.groupId));
  return { on: actedOn(ctx) };
}
