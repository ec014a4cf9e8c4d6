// The Baileys engine: the port's Engine implemented over the `baileys` WhatsApp Web client.
import type { Engine, EngineLogger } from '../port.js';
import { assertDurableReceiptPatch } from './durable-receipt.js';
import { routeLibsignalDiagnostics } from './libsignal-diagnostics.js';
import { BaileysSession } from './session.js';

/** The engine; libsignal's diagnostics go to `logger` (process-wide, as libsignal is). */
export function createBaileysEngine(logger: EngineLogger): Engine {
  routeLibsignalDiagnostics(logger.child({ component: 'libsignal' }));
  return {
    name: 'baileys',
    createSession: (config) => {
      assertDurableReceiptPatch();
      return new BaileysSession(config);
    }
  };
}
