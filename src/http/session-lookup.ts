// Finds the session a request acts on, per its router's WARest rules: by id (404 when unknown, 403 when the
// caller may not use it) or by the session's own phone number (the caller's first working session with it).
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../core/errors.js';
import type { Db } from '../store/database.js';
import { getSession, listAllSessions, listSessionsByOwner, type Session } from '../store/repos/sessions.js';
import { requireSessionAccess, type SessionAccessOptions } from './auth.js';
import { selectSession, type SessionRouter } from './params.js';

export async function findRequestSession(db: Db, request: FastifyRequest, router: SessionRouter, options: SessionAccessOptions = {}): Promise<Session> {
  const selector = selectSession(router, request, request.principal);
  if (selector.by === 'id') {
    const session = await getSession(db, selector.sessionId);
    if (!session) throw new GatewayError('SESSION_NOT_FOUND', `Session "${selector.sessionId}" not found`);
    requireSessionAccess(request.principal, { id: session.id, owner: session.ownerKeyId }, options);
    return session;
  }
  const principal = request.principal;
  const candidates = principal?.kind === 'admin' ? await listAllSessions(db) : principal?.keyId ? await listSessionsByOwner(db, principal.keyId) : [];
  const match = candidates.find((s) => s.status === 'WORKING' && s.meId?.split(/[:@]/)[0] === selector.phone);
  if (!match) throw new GatewayError('SESSION_NOT_FOUND', `No working session of yours has the number ${selector.phone}`);
  return match;
}

/** The session must be linked and connected for this action. */
export function requireWorking(session: Session, liveStatus: string | undefined): void {
  if (liveStatus !== 'WORKING') {
    throw new GatewayError('SESSION_NOT_LOGGED_IN', `Session "${session.id}" is not connected (${liveStatus ?? session.status}): scan the QR or finish pairing first`);
  }
}
