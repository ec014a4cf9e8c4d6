// Authentication and session ownership: the hook that turns credentials into `request.principal` with WARest's
// exact failure bodies, the per-route auth policy, and `requireSessionAccess` for routes that act on a session.
//
// Deliberate difference from WARest: the admin key may act on every session (WARest gives admins no bypass).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../core/errors.js';
import { extractApiKey, extractSessionToken } from './credentials.js';
import type { AuthResolver, Principal } from './types.js';

/** `public`: no credentials; `key`: any valid key or session token; `admin`: the admin key only. */
export type AuthPolicy = 'public' | 'key' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook; null on public routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Route auth policy; default `admin` under /api/v1/server/, else `key`. */
    auth?: AuthPolicy;
  }
}

const WAWP_INVALID_TOKEN = { status: 401, message: 'Invalid or Missing Access Token', error: 'invalid_access_token' };
const WAWP_MISSING_INSTANCE = { status: 400, message: 'Missing Required Parameter(s)', error: 'invalid_instance' };

export function authPolicyFor(request: FastifyRequest): AuthPolicy | null {
  if (request.is404) return null;
  const configured = request.routeOptions.config.auth;
  if (configured) return configured;
  return request.routeOptions.url?.startsWith('/api/v1/server/') ? 'admin' : 'key';
}

async function identify(request: FastifyRequest, reply: FastifyReply, auth: AuthResolver): Promise<Principal | null> {
  const key = extractApiKey(request);
  if (key) {
    const principal = await auth.resolveApiKey(key);
    if (!principal) reply.code(401).send({ error: 'Invalid X-WAREST-API-KEY' });
    return principal;
  }
  const token = extractSessionToken(request);
  if (!token) {
    reply.code(401).send({ error: 'Missing X-WAREST-API-KEY' });
    return null;
  }
  if (!token.instanceId) {
    reply.code(400).send(WAWP_MISSING_INSTANCE);
    return null;
  }
  const principal = await auth.resolveSessionToken(token.instanceId, token.token);
  if (!principal) {
    reply.code(401).send(WAWP_INVALID_TOKEN);
    return null;
  }
  return { ...principal, sessionId: principal.sessionId ?? token.instanceId };
}

export function installAuth(app: FastifyInstance, auth: AuthResolver): void {
  app.decorateRequest('principal', null);
  // preValidation rather than onRequest: Wawp clients may put the token in the JSON body. Missing credentials
  // still answer 401 before any schema error.
  app.addHook('preValidation', async (request, reply) => {
    const policy = authPolicyFor(request);
    if (policy === null || policy === 'public') return;
    const principal = await identify(request, reply, auth);
    if (!principal) return reply;
    if (policy === 'admin' && principal.kind !== 'admin') return reply.code(403).send({ error: 'Admin only' });
    request.principal = principal;
  });
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

export interface SessionAccessOptions {
  /** Answer 404 SESSION_NOT_FOUND instead of 403, so a foreign session's existence is not revealed (misc routes). */
  hideForeign?: boolean;
}

/** Throws 403 FORBIDDEN unless the principal may act on the session (admin: all; user: own; token: its session). */
export function requireSessionAccess(
  principal: Principal | null,
  session: OwnedSession,
  options: SessionAccessOptions = {},
): void {
  if (principal?.kind === 'admin') return;
  if (principal?.kind === 'session' && principal.sessionId === session.id) return;
  if (principal?.kind === 'user' && session.owner !== null && ownerOf(principal) === session.owner) return;
  if (options.hideForeign) throw new GatewayError('SESSION_NOT_FOUND', 'Session not found');
  throw new GatewayError('FORBIDDEN', 'Forbidden');
}
