// What WhatsApp's refusals mean, per kind of action: the one table that turns an IQ error code into our error.
// The same number means different things depending on what was attempted (401 `not-authorized` on a group
// change means we are not an admin; on a metadata read it means we are not a member), so callers name the
// action. Codes not in the table fall through to the generic mapping (core/engine-errors.ts).
import { EngineRemoteError } from '../engine/errors.js';
import { GatewayError, type AppCodeName } from './errors.js';
import { inviteLink } from './invites/ledger.js';

export type RefusalAction =
  /** reading a group's metadata */
  | { kind: 'group-read'; groupId: string }
  /** changing a group (or reading what only members may read), after our own membership check passed */
  | { kind: 'group-change'; groupId: string; verb: string }
  /** reading or revoking the invite code, after our own admin check passed */
  | { kind: 'invite-admin'; groupId: string }
  /** previewing or joining a group through an invite code */
  | { kind: 'invite-code'; code: string };

type Meaning = [code: AppCodeName, message: string];

const notMember = (groupId: string, verb?: string): Meaning => ['GROUP_NOT_MEMBER', `${verb ? `Cannot ${verb}: this` : 'This'} session's number is not a member of group ${groupId}`];
const groupNotFound = ({ groupId }: { groupId: string }): Meaning => ['GROUP_NOT_FOUND', `Group ${groupId} does not exist`];
const notAdminAnyMore = ({ groupId }: { groupId: string }): Meaning => [
  'GROUP_NOT_ADMIN',
  `WhatsApp refused: this session's number is no longer an admin of group ${groupId} (demoted or removed just now); nothing was changed`,
];
const noSuchLink = ({ code }: { code: string }): Meaning => ['NOT_FOUND', `The invite link ${inviteLink(code)} does not lead to any group; check the code`];

type Table = { [K in RefusalAction['kind']]: Partial<Record<number, (action: Extract<RefusalAction, { kind: K }>) => Meaning>> };

/** WhatsApp's codes per action, as WhatsApp Web and the sandbox answer them (README: "WhatsApp's refusals"). */
export const REFUSALS: Table = {
  'group-read': {
    401: ({ groupId }) => notMember(groupId),
    403: ({ groupId }) => notMember(groupId),
    404: groupNotFound,
  },
  'group-change': {
    401: ({ groupId, verb }) => ['GROUP_NOT_ADMIN', `Cannot ${verb}: this session's number is not an admin of group ${groupId}`],
    403: ({ groupId, verb }) => notMember(groupId, verb),
    404: groupNotFound,
  },
  'invite-admin': { 401: notAdminAnyMore, 403: notAdminAnyMore, 404: groupNotFound },
  'invite-code': {
    404: noSuchLink,
    406: noSuchLink,
    409: () => ['CONFLICT', "This session's number is already a member of that group"],
    410: ({ code }) => ['NOT_FOUND', `The invite link ${inviteLink(code)} was revoked or has expired; ask a group admin for the current link`],
  },
};

/** Our error for WhatsApp refusing `action`, or undefined when `err` is not a refusal the table knows. */
export function refusalFor(err: unknown, action: RefusalAction): GatewayError | undefined {
  if (!(err instanceof EngineRemoteError)) return undefined;
  const meaning = (REFUSALS[action.kind] as Partial<Record<number, (action: RefusalAction) => Meaning>>)[err.code];
  if (!meaning) return undefined;
  const [code, message] = meaning(action);
  return new GatewayError(code, message, { cause: err });
}

/** Runs a WhatsApp command, rethrowing its refusal as what it means for `action`. */
export async function refusing<T>(action: RefusalAction, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw refusalFor(err, action) ?? err;
  }
}
