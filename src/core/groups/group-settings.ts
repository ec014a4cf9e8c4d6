// Group settings: subject (name), description, announcement mode and locked info. WhatsApp's limits are
// checked before asking it, so an over-long text is a 400 naming the limit rather than WhatsApp's bare 406.
import type { GroupSetting } from '../../engine/types.js';
import { GatewayError } from '../errors.js';
import { actedOn, requireAdmin, requireEditor, type ActedOn, type GroupContext } from './group-context.js';
import { groupCall } from './group-call.js';

const SUBJECT_MAX = 100;
const DESCRIPTION_MAX = 2048;

/** A group subject within WhatsApp's limit; used by create and rename. */
export function validSubject(subject: string): string {
  const length = [...subject].length;
  if (length > SUBJECT_MAX) {
    throw new GatewayError('GROUP_SUBJECT_TOO_LONG', `groupName has ${length} characters; WhatsApp allows at most ${SUBJECT_MAX}`);
  }
  return subject;
}

export async function setGroupName(ctx: GroupContext, subject: string): Promise<{ on: ActedOn; name: string }> {
  const name = validSubject(subject);
  await requireEditor(ctx, 'change the group name');
  await groupCall(ctx, 'change the group name', () => ctx.engine.groups.updateSubject(ctx.groupId, name));
  ctx.metadata.invalidate(ctx.groupId);
  return { on: actedOn(ctx), name };
}

/** An empty description removes it (WARest sends an empty one for that). */
export async function setGroupDescription(ctx: GroupContext, description: string): Promise<{ on: ActedOn; description: string }> {
  const length = [...description].length;
  if (length > DESCRIPTION_MAX) {
    throw new GatewayError('GROUP_DESCRIPTION_TOO_LONG', `groupDescription has ${length} characters; WhatsApp allows at most ${DESCRIPTION_MAX}`);
  }
  await requireEditor(ctx, 'change the group description');
  await groupCall(ctx, 'change the group description', () => ctx.engine.groups.updateDescription(ctx.groupId, description || null));
  ctx.metadata.invalidate(ctx.groupId);
  return { on: actedOn(ctx), description };
}

export type GroupSwitch = 'announcement' | 'locked';

const SWITCHES: Record<GroupSwitch, { on: GroupSetting; off: GroupSetting; action: string }> = {
  announcement: { on: 'announcement', off: 'not_announcement', action: 'change announcement mode' },
  locked: { on: 'locked', off: 'unlocked', action: 'lock or unlock the group info' }
};

export async function setGroupSwitch(ctx: GroupContext, which: GroupSwitch, enabled: boolean): Promise<{ on: ActedOn; which: GroupSwitch; enabled: boolean }> {
  const rule = SWITCHES[which];
  await requireAdmin(ctx, rule.action);
  await groupCall(ctx, rule.action, () => ctx.engine.groups.setting(ctx.groupId, enabled ? rule.on : rule.off));
  ctx.metadata.invalidate(ctx.groupId);
  return { on: actedOn(ctx), which, enabled };
}
