// What to do when a Baileys connection closes, by WhatsApp's disconnect code (Baileys' DisconnectReason):
// restart at once, show fresh QR codes, give up for good, or reconnect with backoff.
import { DisconnectReason } from 'baileys';
import type { Disconnect } from '../types.js';
import { boomStatus } from './remote-call.js';

export type Verdict =
  /** 515: WhatsApp asks for a new connection (always after pairing) */
  | { action: 'restart' }
  /** the QR refs of an unlinked socket ran out: a new socket brings new QR codes */
  | { action: 'new-qr' }
  /** 401: unlinked from the phone or logged out; the auth state is worthless */
  | { action: 'logged-out'; reason: string }
  /** errors that reconnecting cannot fix */
  | { action: 'fail'; reason: string }
  | { action: 'retry' };

export function describeDisconnect(error: unknown): Disconnect {
  return {
    code: boomStatus(error) ?? DisconnectReason.connectionClosed,
    reason: error instanceof Error ? error.message : 'connection closed'
  };
}

/** `<stream:error code="401"><conflict type="device_removed"/>` carries the conflict node as Boom data. */
function removedFromPhone(error: unknown): boolean {
  const data = (error as { data?: { attrs?: { type?: string } } } | undefined)?.data;
  return data?.attrs?.type === 'device_removed';
}

export function classifyDisconnect(error: unknown, state: { linked: boolean; showedQr: boolean }): Verdict {
  switch (describeDisconnect(error).code) {
    case DisconnectReason.restartRequired:
      return { action: 'restart' };
    case DisconnectReason.loggedOut:
      return { action: 'logged-out', reason: removedFromPhone(error) ? 'device removed from the phone' : 'logged out by WhatsApp' };
    case DisconnectReason.connectionReplaced:
      return { action: 'fail', reason: 'connection replaced: another client is using this session' };
    case DisconnectReason.forbidden:
      return { action: 'fail', reason: 'forbidden: WhatsApp refused this account' };
    case DisconnectReason.multideviceMismatch:
      return { action: 'fail', reason: 'multi-device mismatch: WhatsApp refused this client' };
    // 408 is also Baileys' code for a lost connection; only an unlinked socket that showed QR codes ran out of them.
    case DisconnectReason.timedOut:
      return !state.linked && state.showedQr ? { action: 'new-qr' } : { action: 'retry' };
    default:
      return { action: 'retry' };
  }
}
