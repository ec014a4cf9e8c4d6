// The Baileys engine: the port's Engine implemented over the `baileys` WhatsApp Web client.
import type { Engine } from '../port.js';
import { assertDurableReceiptPatch } from './durable-receipt.js';
import { BaileysSession } from './session.js';

export const baileysEngine: Engine = {
  name: 'baileys',
  createSession: (config) => {
    assertDurableReceiptPatch();
    return new BaileysSession(config);
  }
};
