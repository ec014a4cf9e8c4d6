// Authentication: the hook that turns credentials into `request.principal` with WARest's exact failure bodies,
// and the per-route auth policy. What a principal may touch is core's rule (core/auth/principal.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { extractApiKey, extractSessionToken } from './credentials.js';
import type { AuthResolver, Principal } from '../core/auth/principal.js';

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
    /**
     * The route also serves signed links: a request carrying both `expires` and `signature` in its query skips
     * credentials (principal null) and the route itself checks the signature.
     */
    signedAccess?: boolean;
  }
}

const WAWP_INVALID_TOKEN = { status: 401, message: 'Invalid or Missing Access Token', error: 'invalid_access_token' };
const WAWP_MISSING_INSTANCE = { status: 400, message: 'Missing Required Parameter(s)', error: 'invalid_instance' };

/** Whether the request is a signed link to a route that accepts them (see `signedAccess`). */
export function isSignedLinkRequest(request: FastifyRequest): boolean {
  if (!request.routeOptions.config.signedAccess) return false;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.expires === 'string' && query.expires !== '' && typeof query.signature === 'string' && query.signature !== '';
}

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
    if (policy === null || policy === 'public' || isSignedLinkRequest(request)) return;
    const principal = await identify(request, reply, auth);
    if (!principal) return reply;
    if (policy === 'admin' && principal.kind !== 'admin') return reply.code(403).send({ error: 'Admin only' });
    request.principal = principal;
  });
}
