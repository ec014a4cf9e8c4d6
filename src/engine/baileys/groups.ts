// Group commands (`w:g2`): metadata, creation, settings, invites, participants, join requests and pictures.
// Metadata answers feed the cache Baileys reads when sending to a group; changes made here invalidate it.
import { getBinaryNodeChild, type BinaryNode, type GroupMetadata as BaileysGroupMetadata } from 'baileys';
import { EngineInvalidArgumentError } from '../errors.js';
import type { GroupCommands } from '../port.js';
import type { GroupMetadata, ParticipantResult } from '../types.js';
import type { CommandContext, SocketCall } from './command-context.js';
import { pictureUrl } from './contacts.js';
import { normaliseGroup } from './group-metadata.js';
import { groupJid, userJids } from './jids.js';
import { required } from './remote-call.js';

/** An invite code, also accepted as the chat.whatsapp.com link that carries it. */
function inviteCode(input: string): string {
  const code = input.trim().replace(/^https?:\/\/chat\.whatsapp\.com\//i, '').replace(/\/+$/, '');
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(code)) throw new EngineInvalidArgumentError('code', `"${input}" is not a group invite code or link`);
  return code;
}

function nonEmpty(value: string, argument: string): string {
  if (!value.trim()) throw new EngineInvalidArgumentError(argument, 'must not be empty');
  return value;
}

export function makeGroupCommands(ctx: CommandContext): GroupCommands {
  const { call, resolver, groupMetadata } = ctx;

  const remember = (meta: BaileysGroupMetadata): Promise<GroupMetadata> => {
    groupMetadata.set(meta.id, meta);
    return normaliseGroup(meta, resolver);
  };

  /** Runs a command that changes the group, so that the next send refetches its metadata. */
  const change = async (operation: string, groupId: string, run: SocketCall<void>): Promise<void> => {
    await call(operation, run);
    groupMetadata.delete(groupId);
  };

  const participantResults = async (rows: { status: string; jid: string | undefined; content?: BinaryNode }[]): Promise<ParticipantResult[]> => {
    const refs = await resolver.refs(rows.map((r) => [r.jid] as const));
    return rows.map((row, i) => {
      const request = row.content ? getBinaryNodeChild(row.content, 'add_request')?.attrs : undefined;
      return {
        jid: refs[i]?.jid ?? row.jid ?? '',
        status: Number(row.status),
        addRequest: request?.code ? { code: request.code, expiration: Number(request.expiration ?? 0) } : null
      };
    });
  };

  const decideJoinRequests = async (groupId: string, participants: string[], decision: 'approve' | 'reject'): Promise<ParticipantResult[]> => {
    const gid = groupJid(groupId);
    const jids = userJids(participants, 'participants');
    const rows = await call(`groups.${decision}JoinRequests`, (sock) => sock.groupRequestParticipantsUpdate(gid, jids, decision));
    groupMetadata.delete(gid);
    return participantResults(rows);
  };

  return {
    async list() {
      const groups = await call('groups.list', (sock) => sock.groupFetchAllParticipating());
      return Promise.all(Object.values(groups).map(remember));
    },
    async metadata(groupId) {
      const gid = groupJid(groupId);
      return remember(await call('groups.metadata', (sock) => sock.groupMetadata(gid)));
    },
    async create(subject, participants) {
      const jids = userJids(participants, 'participants');
      return remember(await call('groups.create', (sock) => sock.groupCreate(nonEmpty(subject, 'subject'), jids)));
    },
    async leave(groupId) {
      const gid = groupJid(groupId);
      await change('groups.leave', gid, (sock) => sock.groupLeave(gid));
    },
    async updateSubject(groupId, subject) {
      const gid = groupJid(groupId);
      await change('groups.updateSubject', gid, (sock) => sock.groupUpdateSubject(gid, nonEmpty(subject, 'subject')));
    },
    async updateDescription(groupId, description) {
      const gid = groupJid(groupId);
      await change('groups.updateDescription', gid, (sock) => sock.groupUpdateDescription(gid, description || undefined));
    },
    async setting(groupId, setting) {
      const gid = groupJid(groupId);
      await change('groups.setting', gid, (sock) => sock.groupSettingUpdate(gid, setting));
    },
    async joinApprovalMode(groupId, enabled) {
      const gid = groupJid(groupId);
      await change('groups.joinApprovalMode', gid, (sock) => sock.groupJoinApprovalMode(gid, enabled ? 'on' : 'off'));
    },
    async memberAddMode(groupId, mode) {
      const gid = groupJid(groupId);
      await change('groups.memberAddMode', gid, (sock) => sock.groupMemberAddMode(gid, mode));
    },
    async ephemeral(groupId, seconds) {
      const gid = groupJid(groupId);
      if (!Number.isInteger(seconds) || seconds < 0) throw new EngineInvalidArgumentError('seconds', 'must be a whole number of seconds, 0 to turn off');
      await change('groups.ephemeral', gid, (sock) => sock.groupToggleEphemeral(gid, seconds));
    },
    async inviteCode(groupId) {
      const gid = groupJid(groupId);
      return required(await call('groups.inviteCode', (sock) => sock.groupInviteCode(gid)), 'groups.inviteCode', 'invite code');
    },
    async revokeInvite(groupId) {
      const gid = groupJid(groupId);
      return required(await call('groups.revokeInvite', (sock) => sock.groupRevokeInvite(gid)), 'groups.revokeInvite', 'invite code');
    },
    async acceptInvite(code) {
      const invite = inviteCode(code);
      // With join approval on, WhatsApp answers with a membership request instead of the group: no group id.
      const groupId = await call('groups.acceptInvite', (sock) => sock.groupAcceptInvite(invite));
      return groupId ? { status: 'joined', groupId: groupJid(groupId) } : { status: 'pending' };
    },
    async inviteInfo(code) {
      const invite = inviteCode(code);
      return normaliseGroup(await call('groups.inviteInfo', (sock) => sock.groupGetInviteInfo(invite)), resolver);
    },
    async participants(groupId, action, participants) {
      const gid = groupJid(groupId);
      const jids = userJids(participants, 'participants');
      const rows = await call(`groups.participants.${action}`, (sock) => sock.groupParticipantsUpdate(gid, jids, action));
      groupMetadata.delete(gid);
      return participantResults(rows);
    },
    async joinRequests(groupId) {
      const gid = groupJid(groupId);
      const rows = await call('groups.joinRequests', (sock) => sock.groupRequestParticipantsList(gid));
      const refs = await resolver.refs(rows.map((r) => [r.jid, r.phone_number] as const));
      return rows.flatMap((row, i) => {
        const ref = refs[i];
        if (!ref) return [];
        const requestedAt = Number(row.request_time);
        return [{ ...ref, method: row.request_method ?? null, requestedAt: Number.isFinite(requestedAt) ? requestedAt : null }];
      });
    },
    approveJoinRequests: (groupId, participants) => decideJoinRequests(groupId, participants, 'approve'),
    rejectJoinRequests: (groupId, participants) => decideJoinRequests(groupId, participants, 'reject'),
    async picture(groupId, options = {}) {
      return pictureUrl(ctx, groupJid(groupId), options.highRes);
    },
    async setPicture(groupId, image) {
      const gid = groupJid(groupId);
      if (image.length === 0) throw new EngineInvalidArgumentError('image', 'must not be empty');
      await call('groups.setPicture', (sock) => sock.updateProfilePicture(gid, image));
    },
    async removePicture(groupId) {
      const gid = groupJid(groupId);
      await call('groups.removePicture', (sock) => sock.removeProfilePicture(gid));
    }
  };
}
