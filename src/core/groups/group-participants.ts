// The one handler for every change to a group's people: add, remove, promote, demote, and approving or
// rejecting join requests. Each participant gets its own result with WhatsApp's code and the reason in words;
// the WARest lists (`addedParticipants`/`failedToAdd`, …) hold digits. Some failed → 207 PARTIAL_SUCCESS;
// all failed → 422 with the same result, since nothing the caller asked for happened.
import type { GroupMetadata, ParticipantResult } from '../../engine/types.js';
import { GatewayError } from '../errors.js';
import { metadataSource, notAdmin, requireMember, type GroupContext } from './group-context.js';
import { groupCall } from './group-call.js';
import { digitsOf, resultBase, succeeded, type Outcome } from './group-view.js';

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote' | 'approve' | 'reject';

interface Rule {
  /** "Some participants failed to <verb>" */
  verb: string;
  /** the per-participant status of a success, e.g. "added" */
  done: string;
  message: string;
  /** WARest's digit lists of successes and failures, for the actions that have them */
  lists?: [done: string, failed: string];
  /** targets must be members already; role changes also spare the creator (WARest: "not permitted") */
  targets: 'anyone' | 'members' | 'roles';
  needsAdmin(metadata: GroupMetadata): boolean;
  run(ctx: GroupContext, jids: string[]): Promise<ParticipantResult[]>;
}

const always = () => true;
const change = (action: 'add' | 'remove' | 'promote' | 'demote') => (ctx: GroupContext, jids: string[]) => ctx.engine.groups.participants(ctx.groupId, action, jids);

const RULES: Record<ParticipantAction, Rule> = {
  // Groups may let every member add people (member add mode); then no admin is needed.
  add: { verb: 'add', done: 'added', message: 'Participants added', lists: ['addedParticipants', 'failedToAdd'], targets: 'anyone', needsAdmin: (m) => m.memberAddMode !== 'all_member_add', run: change('add') },
  remove: { verb: 'remove', done: 'removed', message: 'Participants removed', lists: ['removedParticipants', 'failedToRemove'], targets: 'members', needsAdmin: always, run: change('remove') },
  promote: { verb: 'promote', done: 'promoted', message: 'Participants promoted', targets: 'roles', needsAdmin: always, run: change('promote') },
  demote: { verb: 'demote', done: 'demoted', message: 'Participants demoted', targets: 'roles', needsAdmin: always, run: change('demote') },
  approve: { verb: 'approve', done: 'approved', message: 'Participants approved', lists: ['approvedParticipants', 'failedToApprove'], targets: 'anyone', needsAdmin: always, run: (ctx, jids) => ctx.engine.groups.approveJoinRequests(ctx.groupId, jids) },
  reject: { verb: 'reject', done: 'rejected', message: 'Participants rejected', targets: 'anyone', needsAdmin: always, run: (ctx, jids) => ctx.engine.groups.rejectJoinRequests(ctx.groupId, jids) }
};

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

/** `jids` are normalised user JIDs (PN or LID), at least one. */
export async function changeParticipants(ctx: GroupContext, action: ParticipantAction, jids: string[]): Promise<Outcome> {
  const rule = RULES[action];
  const what = `${rule.verb} participants`;
  const { metadata, isAdmin } = await requireMember(ctx);
  if (rule.needsAdmin(metadata) && !isAdmin) throw notAdmin(ctx, what);

  const refused: ParticipantEntry[] = [];
  const send: string[] = [];
  for (const jid of jids) {
    const refusal = precheck(rule, metadata, jid);
    if (refusal) refused.push(refusal);
    else send.push(jid);
  }
  const results = send.length ? await groupCall(ctx, what, () => rule.run(ctx, send)) : [];
  if (send.length) metadataSource(ctx).invalidate(ctx.groupId);

  const participants = [...results.map((r) => answered(action, rule, r)), ...refused];
  const ok = participants.filter((p) => p.status === rule.done);
  const failed = participants.filter((p) => p.status !== rule.done);
  const status = failed.length === 0 ? 'success' : ok.length ? 'partial' : 'failed';
  const lists = rule.lists ? { [rule.lists[0]]: ok.map((p) => p.phone), [rule.lists[1]]: failed.map((p) => p.phone) } : {};
  const result = { ...resultBase(ctx), ...lists, participants, status };

  if (failed.length === 0) return succeeded(rule.message, result);
  if (ok.length) return { code: 'PARTIAL_SUCCESS', message: `Some participants failed to ${rule.verb}`, result };
  const reasons = failed.map((p) => `${p.phone} ${p.reason ?? 'failed'}`).join('; ');
  throw new GatewayError('UNPROCESSABLE_ENTITY', `No participant was ${rule.done}: ${reasons}`, { details: result });
}
