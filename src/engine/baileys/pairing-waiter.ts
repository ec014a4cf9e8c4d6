// Waiting for the pairing code a session will emit for a phone number; fails when the session ends first
// (stopped, failed, logged out) or nothing comes in time.
import { EngineStateError, EngineTimeoutError } from '../errors.js';
import type { EventSource } from '../typed-emitter.js';
import type { EngineEventMap } from '../types.js';

export interface PairingWait {
  code: Promise<string>;
  cancel(): void;
}

const ENDED = new Set(['STOPPED', 'FAILED', 'LOGGED_OUT']);

export function waitForPairingCode(events: EventSource<EngineEventMap>, phone: string, timeoutMs: number): PairingWait {
  let cancel = (): void => undefined;
  const code = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new EngineTimeoutError('requestPairingCode', timeoutMs))), timeoutMs);
    const offCode = events.on('pairing_code', (p) => {
      if (p.phone === phone) finish(() => resolve(p.code));
    });
    const offStatus = events.on('status', (s) => {
      if (ENDED.has(s.status)) finish(() => reject(new EngineStateError(s.status, `the session ended (${s.status}) before a pairing code was issued`)));
    });
    function finish(settle: () => void): void {
      clearTimeout(timer);
      offCode();
      offStatus();
      settle();
    }
    cancel = () => finish(() => undefined);
  });
  return { code, cancel };
}
