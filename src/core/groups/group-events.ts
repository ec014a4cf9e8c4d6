// A session's group events, for the outbox: `group.update` for setting changes, `group.participants` (with
// `group.join` / `group.leave` for adds and departures) and `group.join_request`. Invite-code changes are
// not ours: the invites capability emits their `group.update` with the old and new code and the lineage.
// WARest `group_update` consumers read `update`, in Baileys' field names; `changes` has ours.
import type { ContactRef, GroupChanges } from '../../engine/types.js';
import type { EventTranslator } from '../sessions/session-runtime.js';

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

export const groupEventTranslator: EventTranslator = (runtime, emit) => {
  const { events } = runtime.engine;
  const offs = [
    events.on('group_update', ({ groupId, author, changes }) => {
      const { inviteCode: _inviteCode, ...settings } = changes;
      if (Object.keys(settings).length > 0) emit('group.update', groupUpdatePayload(runtime.id, groupId, author, settings));
    }),
    events.on('group_participants', (update) => {
      // `participants` as JIDs, as WARest sends them; `contacts` with both identities.
      const payload = {
        id: runtime.id,
        groupId: update.groupId,
        action: update.action,
        author: update.author,
        participants: update.participants.map((p) => p.jid),
        contacts: update.participants
      };
      emit('group.participants', payload);
      if (update.action === 'add') emit('group.join', payload);
      if (update.action === 'remove' || update.action === 'leave') emit('group.leave', payload);
    }),
    events.on('group_join_request', (request) => emit('group.join_request', { id: runtime.id, ...request }))
  ];
  return () => offs.forEach((off) => off());
};
