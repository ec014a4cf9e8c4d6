// Invite policies as the API sees them: the JSON schema of their fields, how a request's fields are merged onto
// the stored rules (absent = unchanged, null = removed), and the policy as the API shows it.
import type { InvitePolicy, InviteRules } from '../../store/repos/invite-policies.js';
import { GatewayError } from '../errors.js';

export const MIN_ROTATE_SECONDS = 60;

export interface PolicyInput {
  revokeAt?: string | null;
  rotateEvery?: number | null;
  oneTime?: boolean;
  floodBreaker?: { maxJoins: number; windowSeconds: number; enableApproval?: boolean } | null;
}

/** Properties for a body schema; the caller adds the session and group fields. */
export const POLICY_PROPERTIES = {
  revokeAt: { type: ['string', 'null'], format: 'date-time', description: 'revoke the link once at this ISO 8601 time' },
  rotateEvery: { type: ['integer', 'null'], minimum: MIN_ROTATE_SECONDS, maximum: 31_536_000, description: 'revoke the link every N seconds' },
  oneTime: { type: 'boolean', description: 'revoke the link after each join through it' },
  floodBreaker: {
    type: ['object', 'null'],
    description: 'more than maxJoins joins through the current link within windowSeconds → revoke (and turn on join approval)',
    required: ['maxJoins', 'windowSeconds'],
    additionalProperties: false,
    properties: {
      maxJoins: { type: 'integer', minimum: 1, maximum: 100_000 },
      windowSeconds: { type: 'integer', minimum: 1, maximum: 604_800 },
      enableApproval: { type: 'boolean' },
    },
  },
} as const;

const NO_RULES: InviteRules = { revokeAt: null, rotateEvery: null, nextRotateAt: null, oneTime: false, floodBreaker: null };

function futureTime(raw: string, now: number): number {
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw new GatewayError('INVALID_PARAMETER', `revokeAt "${raw}" is not a date-time; use ISO 8601, e.g. 2030-01-31T18:00:00Z`);
  if (at <= now) throw new GatewayError('INVALID_PARAMETER', `revokeAt ${raw} is in the past; give a future time (or null to remove it)`);
  return at;
}

export function hasRules(rules: InviteRules): boolean {
  return rules.revokeAt !== null || rules.rotateEvery !== null || rules.oneTime || rules.floodBreaker !== null;
}

/** The stored rules with the request's fields applied. @throws 400 when no rule would be left. */
export function mergeRules(existing: InviteRules | undefined, input: PolicyInput, now = Date.now()): InviteRules {
  const rules = { ...(existing ?? NO_RULES) };
  if (input.revokeAt !== undefined) rules.revokeAt = input.revokeAt === null ? null : futureTime(input.revokeAt, now);
  if (input.rotateEvery !== undefined) {
    rules.rotateEvery = input.rotateEvery;
    rules.nextRotateAt = input.rotateEvery === null ? null : now + input.rotateEvery * 1000;
  }
  if (input.oneTime !== undefined) rules.oneTime = input.oneTime;
  if (input.floodBreaker !== undefined) {
    const breaker = input.floodBreaker;
    rules.floodBreaker = breaker && { maxJoins: breaker.maxJoins, windowSeconds: breaker.windowSeconds, enableApproval: breaker.enableApproval ?? false };
  }
  if (!hasRules(rules)) {
    throw new GatewayError('MISSING_PARAMETER', 'Set at least one rule: revokeAt, rotateEvery, oneTime or floodBreaker (DELETE /api/v1/group/invite/policy removes the policy)');
  }
  return rules;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function describePolicy(policy: InvitePolicy) {
  return {
    sessionId: policy.sessionId,
    groupId: policy.groupId,
    status: policy.status,
    reason: policy.disabledReason,
    revokeAt: iso(policy.revokeAt),
    rotateEvery: policy.rotateEvery,
    nextRotateAt: iso(policy.nextRotateAt),
    oneTime: policy.oneTime,
    floodBreaker: policy.floodBreaker,
    lastFiredAt: iso(policy.lastFiredAt),
    lastFiredRule: policy.lastFiredRule,
    createdAt: iso(policy.createdAt),
    updatedAt: iso(policy.updatedAt),
  };
}
