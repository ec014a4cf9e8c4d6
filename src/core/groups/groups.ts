// The group actions as commands: each takes who is asking and which session (and group) plus plain input,
// finds the connected session through SessionAccess, and runs one rule module. Routes, queue workers and the
// dashboard call these; reading and revoking invite codes is the invites capability's (core/invites).
import type { SessionCommand } from '../sessions/session-access.js';
import { groupContext, sessionContext, type GroupCommand, type GroupDeps } from './group-context.js';
import { joinViaInviteLink, previewInviteLink } from './group-invite-links.js';
import { createGroup, disbandGroup, leaveGroup } from './group-lifecycle.js';
import { changeParticipants, type ParticipantAction } from './group-participants.js';
import { getGroupPicture, removeGroupPicture, setGroupPicture } from './group-picture.js';
import { groupInfo, listGroups, listJoinRequests, listParticipants } from './group-reads.js';
import { setGroupDescription, setGroupName, setGroupSwitch, type GroupSwitch } from './group-settings.js';
import type { PictureLoadOptions, PictureSource } from './picture-input.js';

export interface GroupsOptions extends GroupDeps {
  pictures: PictureLoadOptions;
}

export class Groups {
  constructor(private readonly deps: GroupsOptions) {}

  async list(command: SessionCommand) {
    return listGroups(await sessionContext(this.deps, command));
  }

  async info(command: GroupCommand) {
    return groupInfo(await groupContext(this.deps, command));
  }

  async participants(command: GroupCommand) {
    return listParticipants(await groupContext(this.deps, command));
  }

  async joinRequests(command: GroupCommand) {
    return listJoinRequests(await groupContext(this.deps, command));
  }

  async create(command: SessionCommand, subject: string, participants: string[]) {
    return createGroup(await sessionContext(this.deps, command), subject, participants);
  }

  async leave(command: GroupCommand) {
    return leaveGroup(await groupContext(this.deps, command));
  }

  async disband(command: GroupCommand) {
    return disbandGroup(await groupContext(this.deps, command));
  }

  async setName(command: GroupCommand, name: string) {
    return setGroupName(await groupContext(this.deps, command), name);
  }

  async setDescription(command: GroupCommand, description: string) {
    return setGroupDescription(await groupContext(this.deps, command), description);
  }

  async setSwitch(command: GroupCommand, which: GroupSwitch, enabled: boolean) {
    return setGroupSwitch(await groupContext(this.deps, command), which, enabled);
  }

  /** `jids` are normalised user JIDs (PN or LID), at least one. */
  async changeParticipants(command: GroupCommand, action: ParticipantAction, jids: string[]) {
    return changeParticipants(await groupContext(this.deps, command), action, jids);
  }

  async picture(command: GroupCommand) {
    return getGroupPicture(await groupContext(this.deps, command));
  }

  async setPicture(command: GroupCommand, source: PictureSource) {
    return setGroupPicture(await groupContext(this.deps, command), source, this.deps.pictures);
  }

  async removePicture(command: GroupCommand) {
    return removeGroupPicture(await groupContext(this.deps, command));
  }

  async previewLink(command: SessionCommand, code: string) {
    return previewInviteLink(await sessionContext(this.deps, command), code);
  }

  async joinByLink(command: SessionCommand, code: string) {
    return joinViaInviteLink(await sessionContext(this.deps, command), code);
  }
}
