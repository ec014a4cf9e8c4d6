// The caches one Baileys socket keeps between stanzas, with Baileys' own lifetimes, built empty (see
// expiring-cache.ts for why not Baileys' NodeCache defaults). The bounds keep a busy session's memory finite.
import { ExpiringCache } from './expiring-cache.js';

const MINUTE_MS = 60_000;

export function createSocketCaches() {
  return {
    /** how often an inbound message has failed to decrypt (retry receipts sent for it) */
    msgRetryCounterCache: new ExpiringCache({ ttlMs: 60 * MINUTE_MS, maxEntries: 1024 }),
    /** each contact's device list, so a send need not ask WhatsApp again; a large group's members fit */
    userDevicesCache: new ExpiringCache({ ttlMs: 5 * MINUTE_MS, maxEntries: 4096 }),
    /** call offers, until their call ends */
    callOfferCache: new ExpiringCache({ ttlMs: 5 * MINUTE_MS, maxEntries: 256 }),
    /** messages the phone was asked to resend (placeholders), so each is asked for once */
    placeholderResendCache: new ExpiringCache({ ttlMs: 60 * MINUTE_MS, maxEntries: 1024 }),
    /** contacts whose identity change just refreshed their Signal session (bursts debounced) */
    identityAssertDebounceCache: new ExpiringCache({ ttlMs: 5_000, maxEntries: 256 })
  };
}
