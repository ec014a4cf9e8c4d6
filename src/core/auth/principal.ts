// Who is calling, and what they may touch. A principal comes from an API key (admin or user) or from a session
// access token (Wawp `instance_id` + `access_token`); every capability takes one and checks it here.
//
// Deliberate difference from WARest: the admin key may act on every session (WARest gives admins no bypass).
import { GatewayError } from '../errors.js';

export type PrincipalKind = 'admin' | 'user' | 'session';

/** A `session` principal may only touch its own session. */
export interface Principal {
  kind: PrincipalKind;
  keyId?: string;
  sessionId?: string;
  username?: string;
}

export interface AuthResolver {
  /** Look up a WARest-style API key (admin or user). Null when unknown. */
  resolveApiKey(raw: string): Promise<Principal | null>;
  /** Look up a Wawp-style session access token. Null when the token is not valid for that session. */
  resolveSessionToken(instanceId: string, token: string): Promise<Principal | null>;
}

/** The identity a session is owned by: the user name, else the key id (keys may rotate, users do not). */
export function ownerOf(principal: Principal): string | null {
  return principal.username ?? principal.keyId ?? null;
}

export interface OwnedSession {
  id: string;
  /** `ownerOf(creator)` recorded when the session was created. */
  owner: string | null;
}

/** Whether the principal may act on the session (admin: all; user: its own; session token: exactly its session). */
export function maySessionAccess(principal: Principal | null, session: OwnedSession): boolean {
  if (principal?.kind === 'admin') return true;
  if (principal?.kind === 'session') return principal.sessionId === session.id;
  return principal?.kind === 'user' && session.owner !== null && ownerOf(principal) === session.owner;
}

export interface SessionAccessOptions {
  /** Answer 404 SESSION_NOT_FOUND instead of 403, so a foreign session's existence is not revealed (misc routes). */
  hideForeign?: boolean;
}

/** Throws 403 FORBIDDEN unless the principal may act on the session. */
export function requireSessionAccess(principal: Principal | null, session: OwnedSession, options: SessionAccessOptions = {}): void {
  if (maySessionAccess(principal, session)) return;
  if (options.hideForeign) throw new GatewayError('SESSION_NOT_FOUND', 'Session not found');
  if (principal?.kind === 'session') {
    throw new GatewayError('FORBIDDEN', `This access token is valid for session "${principal.sessionId}" only; use an API key to act on "${session.id}"`);
  }
  throw new GatewayError('FORBIDDEN', 'Forbidden');
}
