// A session's group events, reduced into the outbox: `group.update` for setting changes, `group.participants` (with
// `group.join` / `group.leave` for adds and departures) and `group.join_request`. Invite-code changes are
// not ours: the invites capability emits their `group.update` with the old and new code and the lineage.
// WARest `group_update` consumers read `update`, in Baileys' field names; `changes` has ours.
import type { ContactRef, GroupChanges } from '../../engine/types.js';
import type { EventReducer } from '../events/event-reducer.js';

export type GroupSettingChanges = Omit<GroupChanges, 'inviteCode'>;

function warestUpdate({ description, memberAddMode, ephemeral, pictureId, ...same }: GroupSettingChanges): Record<string, unknown> {
  return {
    ...same,
    ...(pictureId !== undefined ? { picture: pictureId } : {}),
    ...(description !== undefined ? { desc: description } : {}),
    ...(memberAddMode !== undefined ? { memberAddMode: memberAddMode === 'all_member_add' } : {}),
    ...(ephemeral !== undefined ? { ephemeralDuration: ephemeral } : {})
  };
}

function groupUpdatePayload(sessionId: string, groupId: string, author: ContactRef | null, changes: GroupSettingChanges): Record<string, unknown> {
  return { id: sessionId, groupId, author, update: { id: groupId, author: author?.jid ?? null, ...warestUpdate(changes) }, changes };
}

export const groupEventReducer: EventReducer = {
  async group_update({ groupId, author, changes }, { sessionId, emit }) {
    const { inviteCode: _inviteCode, ...settings } = changes;
    if (Object.keys(settings).length > 0) await emit('group.update', groupUpdatePayload(sessionId, groupId, author, settings));
  },
  async group_participants(update, { sessionId, emit }) {
    // `participants` as JIDs, as WARest sends them; `contacts` with both identities.
    const payload = {
      id: sessionId,
      groupId: update.groupId,
      action: update.action,
      author: update.author,
      participants: update.participants.map((p) => p.jid),
      contacts: update.participants
    };
    await emit('group.participants', payload);
    if (update.action === 'add') await emit('group.join', payload);
    if (update.action === 'remove' || update.action === 'leave') await emit('group.leave', payload);
  },
  group_join_request: (request, { sessionId, emit }) => emit('group.join_request', { id: sessionId, ...request })
};
