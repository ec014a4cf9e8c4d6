// Groups of the sandbox world: members with roles, settings, the invite code and its revoked history, join
// requests and pending add requests. The rules (who may do what) live in the groups features; this module is
// the state, its lookups and how a group addresses its members (LID or PN).
import { randomBytes, randomInt } from 'node:crypto';
import type { Account } from './accounts.js';

export type Role = 'member' | 'admin' | 'superadmin';

export interface GroupMember {
  account: Account;
  role: Role;
  joinedAt: number;
}

export interface JoinRequest {
  account: Account;
  requestedAt: number;
  method: 'invite_link' | 'non_admin_add';
}

/** A private (v4) invitation, issued when someone's privacy settings refused a direct add. */
export interface AddRequest {
  code: string;
  expiration: number;
  inviter: Account;
}

export type AddressingMode = 'lid' | 'pn';
export type MemberAddMode = 'admin_add' | 'all_member_add';

export interface Group {
  /** user part of the group JID, e.g. 120363012345678901 */
  id: string;
  subject: string;
  subjectOwner: Account;
  subjectTime: number;
  creator: Account;
  createdAt: number;
  description?: { id: string; text: string; author: Account; time: number };
  announce: boolean;
  locked: boolean;
  joinApproval: boolean;
  memberAddMode: MemberAddMode;
  /** disappearing-messages timer in seconds, 0 = off */
  ephemeral: number;
  /** 'lid' (production default) or 'pn' addressing */
  addressingMode: AddressingMode;
  inviteCode: string;
  /** every code revoked so far, oldest first; none of them lets anyone in any more */
  revokedCodes: string[];
  /** keyed by phone number */
  members: Map<string, GroupMember>;
  /** keyed by phone number */
  requests: Map<string, JoinRequest>;
  /** keyed by the invitee's phone number */
  addRequests: Map<string, AddRequest>;
  picture?: { id: string; jpeg: Buffer };
}

export function newInviteCode(): string {
  return randomBytes(16).toString('base64url').replace(/[-_]/g, '').slice(0, 22).padEnd(22, 'A');
}

type GroupInit = Omit<Group, 'id' | 'inviteCode' | 'revokedCodes' | 'members' | 'requests' | 'addRequests' | 'createdAt' | 'subjectTime'>;

export class GroupDirectory {
  private readonly groups = new Map<string, Group>();

  create(init: GroupInit): Group {
    let id: string;
    do id = `120363${String(randomInt(100_000_000, 999_999_999))}${String(randomInt(100, 999))}`;
    while (this.groups.has(id));
    const now = nowSeconds();
    const group: Group = {
      ...init,
      id,
      inviteCode: newInviteCode(),
      revokedCodes: [],
      members: new Map(),
      requests: new Map(),
      addRequests: new Map(),
      createdAt: now,
      subjectTime: now
    };
    this.groups.set(id, group);
    return group;
  }

  /** Accepts `120363…`, `120363…@g.us`. */
  get(jidOrId: string): Group | undefined {
    return this.groups.get(jidOrId.split('@')[0] ?? '');
  }

  byInviteCode(code: string): Group | undefined {
    for (const group of this.groups.values()) if (group.inviteCode === code) return group;
    return undefined;
  }

  wasRevoked(code: string): Group | undefined {
    for (const group of this.groups.values()) if (group.revokedCodes.includes(code)) return group;
    return undefined;
  }

  of(account: Account): Group[] {
    return [...this.groups.values()].filter((g) => g.members.has(account.phone));
  }

  delete(id: string): void {
    this.groups.delete(id);
  }
}

export const groupJid = (group: Group) => `${group.id}@g.us`;

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export const isAdminRole = (role: Role | undefined) => role === 'admin' || role === 'superadmin';

/** Retires the current invite code at once and issues a new one. */
export function rotateInviteCode(group: Group): string {
  group.revokedCodes.push(group.inviteCode);
  group.inviteCode = newInviteCode();
  return group.inviteCode;
}

/**
 * How the group names an account on the wire: the LID with the PN as alternate in LID groups, the PN with the
 * LID as alternate in PN groups.
 */
export function addressOf(group: Group, account: Account): { jid: string; alt: string } {
  return group.addressingMode === 'lid' ? { jid: account.lidJid, alt: account.pnJid } : { jid: account.pnJid, alt: account.lidJid };
}

/** The sandbox keeps no address books, so a group-add privacy stricter than "everyone" refuses every add. */
export const acceptsDirectAdd = (account: Account) => account.privacy.get('groupadd') === 'all';

const INVITATION_TTL_S = 3 * 24 * 3600;

/** Issues (or renews) the private invitation WhatsApp hands out when privacy refused adding `invitee`. */
export function issueInvitation(group: Group, invitee: Account, inviter: Account): AddRequest {
  const invitation = { code: newInviteCode(), expiration: nowSeconds() + INVITATION_TTL_S, inviter };
  group.addRequests.set(invitee.phone, invitation);
  return invitation;
}
