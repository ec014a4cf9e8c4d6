// Turns an engine status change into what we store (the persisted lifecycle state) and what we announce (the
// `session.status` event, carrying both our state and WARest's status vocabulary and tags).
import type { StatusChange } from '../../engine/types.js';
import type { SessionStatus } from '../../store/repos/sessions.js';

/** RECONNECTING is a transient engine state; stored as STARTING so the row never claims a live connection. */
export function storedStatus(change: StatusChange): SessionStatus {
  return change.status === 'RECONNECTING' ? 'STARTING' : change.status;
}

export function statusPayload(sessionId: string, change: StatusChange): Record<string, unknown> {
  const base = { id: sessionId, state: change.status };
  switch (change.status) {
    case 'STARTING':
      return { ...base, status: 'connecting', tags: 'connecting' };
    case 'SCAN_QR_CODE':
      return { ...base, status: 'connecting', tags: 'qr', qr: change.qr, qrDuration: Math.round(change.expiresInMs / 1000) };
    case 'WORKING':
      return { ...base, status: 'open', me: change.me };
    case 'RECONNECTING':
      return { ...base, status: 'reconnecting', attempts: change.attempt, delayMs: change.delayMs, reason: change.disconnect.reason, code: change.disconnect.code };
    case 'FAILED':
      return { ...base, status: 'failed', reason: change.reason, ...(change.disconnect ? { code: change.disconnect.code } : {}) };
    case 'LOGGED_OUT':
      return { ...base, status: 'logged_out', reason: change.reason };
    case 'STOPPED':
      return { ...base, status: 'stopped', tags: 'close' };
  }
}
