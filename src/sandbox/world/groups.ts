// Groups of the sandbox world: members with roles, settings, the current invite code, join requests.
// The rules (who may do what) live in the groups feature; this module is the state and its lookups.
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
  memberAddMode: 'admin_add' | 'all_member_add';
  ephemeral: number;
  /** 'lid' (production default) or 'pn' addressing */
  addressingMode: 'lid' | 'pn';
  inviteCode: string;
  /** every code this group ever had, oldest first, for debugging and tests */
  revokedCodes: string[];
  members: Map<string, GroupMember>;
  requests: Map<string, JoinRequest>;
  picture?: { id: string; jpeg: Buffer };
}

export function newInviteCode(): string {
  return randomBytes(16).toString('base64url').replace(/[-_]/g, '').slice(0, 22).padEnd(22, 'A');
}

export class GroupDirectory {
  private readonly groups = new Map<string, Group>();

  create(init: Omit<Group, 'id' | 'inviteCode' | 'revokedCodes' | 'members' | 'requests' | 'createdAt' | 'subjectTime'>): Group {
    let id: string;
    do id = `120363${String(randomInt(100_000_000, 999_999_999))}${String(randomInt(100, 999))}`;
    while (this.groups.has(id));
    const now = Math.floor(Date.now() / 1000);
    const group: Group = { ...init, id, inviteCode: newInviteCode(), revokedCodes: [], members: new Map(), requests: new Map(), createdAt: now, subjectTime: now };
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
