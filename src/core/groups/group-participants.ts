// The one handler for every change to a group's people: add, remove, promote, demote, and approving or
// rejecting join requests. Each participant gets its own result with WhatsApp's code and the reason in words;
// the outcome says whether all, some or none of them got what was asked.
import type { GroupMetadata, ParticipantResult } from '../../engine/types.js';
import { actedOn, notAdmin, requireMember, type ActedOn, type GroupContext } from './group-context.js';
import { groupCall } from './group-call.js';

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote' | 'approve' | 'reject';

interface Rule {
  verb: string;
  /** the per-participant status of a success, e.g. "added" */
  done: string;
  /** targets must be members already; role changes also spare the creator (WARest: "not permitted") */
  targets: 'anyone' | 'members' | 'roles';
  needsAdmin(metadata: GroupMetadata): boolean;
  run(ctx: GroupContext, jids: string[]): Promise<ParticipantResult[]>;
}

const always = () => true;
const change = (action: 'add' | 'remove' | 'promote' | 'demote') => (ctx: GroupContext, jids: string[]) => ctx.engine.groups.participants(ctx.groupId, action, jids);

const RULES: Record<ParticipantAction, Rule> = {
  // Groups may let every member add people (member add mode); then no admin is needed.
  add: { verb: 'add', done: 'added', targets: 'anyone', needsAdmin: (m) => m.memberAddMode !== 'all_member_add', run: change('add') },
  remove: { verb: 'remove', done: 'removed', targets: 'members', needsAdmin: always, run: change('remove') },
  promote: { verb: 'promote', done: 'promoted', targets: 'roles', needsAdmin: always, run: change('promote') },
  demote: { verb: 'demote', done: 'demoted', targets: 'roles', needsAdmin: always, run: change('demote') },
  approve: { verb: 'approve', done: 'approved', targets: 'anyone', needsAdmin: always, run: (ctx, jids) => ctx.engine.groups.approveJoinRequests(ctx.groupId, jids) },
  reject: { verb: 'reject', done: 'rejected', targets: 'anyone', needsAdmin: always, run: (ctx, jids) => ctx.engine.groups.rejectJoinRequests(ctx.groupId, jids) }
};

/** The per-participant status of a success of `action` ("added", "removed", …). */
export const doneStatus = (action: ParticipantAction) => RULES[action].done;

export interface ParticipantEntry {
  phone: string;
  jid: string;
  status: string;
  /** WhatsApp's per-participant code (200 = done); absent when the request was not sent */
  code?: number;
  reason?: string;
  /** an add refused by the person's privacy settings: the invitation WhatsApp made for them instead */
  addRequest?: { code: string; expiration: number };
}

const NOT_MEMBER = 'is not a member of the group';

function reasonFor(action: ParticipantAction, code: number): string {
  const joinRequest = action === 'approve' || action === 'reject';
  switch (code) {
    case 401:
      return 'was refused: this session is not allowed to do that';
    case 403:
      return action === 'add' ? "does not allow being added to groups (privacy settings); send them the invitation in addRequest" : 'was refused by WhatsApp (forbidden)';
    case 404:
      return action === 'add' ? 'is not on WhatsApp' : joinRequest ? 'has no pending join request' : NOT_MEMBER;
    case 406:
      return 'was refused by WhatsApp (not acceptable)';
    case 408:
      return 'left the group recently and cannot be added again yet';
    case 409:
      return action === 'add' ? 'is already a member of the group' : 'was refused by WhatsApp (conflict)';
    default:
      return `was refused by WhatsApp (code ${code})`;
  }
}

function answered(action: ParticipantAction, rule: Rule, result: ParticipantResult): ParticipantEntry {
  const entry: ParticipantEntry = { phone: digitsOf(result.jid), jid: result.jid, status: result.status === 200 ? rule.done : 'failed', code: result.status };
  if (result.status !== 200) entry.reason = reasonFor(action, result.status);
  if (result.addRequest) entry.addRequest = result.addRequest;
  return entry;
}

/** A target refused before asking WhatsApp, or undefined when it may be sent. */
function precheck(rule: Rule, metadata: GroupMetadata, jid: string): ParticipantEntry | undefined {
  if (rule.targets === 'anyone') return undefined;
  const member = metadata.participants.find((p) => p.jid === jid || p.lid === jid || p.pn === jid);
  const entry = { phone: digitsOf(jid), jid: member?.jid ?? jid };
  if (!member) return { ...entry, status: 'failed', reason: NOT_MEMBER };
  if (rule.targets === 'roles' && member.admin === 'superadmin') {
    return { ...entry, status: 'not permitted', reason: "is the group's creator (superadmin), whose role cannot be changed" };
  }
  return undefined;
}

export interface ParticipantsChanged {
  on: ActedOn;
  action: ParticipantAction;
  /** one entry per participant asked for */
  participants: ParticipantEntry[];
  /** the entries whose status is the action's success ("added", "removed", …) */
  done: ParticipantEntry[];
  failed: ParticipantEntry[];
}

/** The digits of a JID's user part: WARest reports people as digits. */
export const digitsOf = (jid: string) => jid.split(/[:@]/)[0] ?? jid;

/** `jids` are normalised user JIDs (PN or LID), at least one. */
export async function changeParticipants(ctx: GroupContext, action: ParticipantAction, jids: string[]): Promise<ParticipantsChanged> {
  const rule = RULES[action];
  const what = `${rule.verb} participants`;
  const { metadata, isAdmin } = await requireMember(ctx);
  if (rule.needsAdmin(metadata) && !isAdmin) throw notAdmin(ctx.groupId, what);

  const refused: ParticipantEntry[] = [];
  const send: string[] = [];
  for (const jid of jids) {
    const refusal = precheck(rule, metadata, jid);
    if (refusal) refused.push(refusal);
    else send.push(jid);
  }
  const results = send.length ? await groupCall(ctx, what, () => rule.run(ctx, send)) : [];
  if (send.length) ctx.metadata.invalidate(ctx.groupId);

  const participants = [...results.map((r) => answered(action, rule, r)), ...refused];
  return {
    on: actedOn(ctx),
    action,
    participants,
    done: participants.filter((p) => p.status === rule.done),
    failed: participants.filter((p) => p.status !== rule.done)
  };
}
