// "Is this number on WhatsApp?" for a session, shared by sends (which refuse numbers that are not) and the
// Check On WhatsApp action: positive answers are kept per session for a while (numbers rarely leave WhatsApp),
// negative ones never (a number may register any minute). The rest is asked in batched usync queries.
import type { EngineSession } from '../../engine/port.js';

export interface NumberOnWhatsApp {
  /** the PN JID asked about */
  pn: string;
  exists: boolean;
  /** WhatsApp's JID for the number (PN), when it exists */
  jid: string | null;
  lid: string | null;
  /** answered from the cache, without asking WhatsApp */
  cached: boolean;
}

/** Most numbers one usync query asks about; larger lists go in several queries, one after another. */
export const ON_WHATSAPP_BATCH = 100;
const CACHE_LIMIT = 10_000;
const TTL_MS = 6 * 3_600_000;

const digitsOf = (jid: string) => jid.split(/[:@]/)[0] ?? '';

export class OnWhatsAppCache {
  private readonly known = new Map<string, { until: number; jid: string; lid: string | null }>();

  constructor(private readonly ttlMs = TTL_MS) {}

  /** One answer per PN JID (`…@s.whatsapp.net`), in order; only the numbers not cached are asked about. */
  async check(sessionId: string, engine: EngineSession, pns: string[]): Promise<NumberOnWhatsApp[]> {
    const now = Date.now();
    const answers = new Map<string, NumberOnWhatsApp>();
    const unknown: string[] = [];
    for (const pn of new Set(pns)) {
      const hit = this.known.get(`${sessionId}|${pn}`);
      if (hit && hit.until >= now) answers.set(pn, { pn, exists: true, jid: hit.jid, lid: hit.lid, cached: true });
      else unknown.push(pn);
    }
    for (let start = 0; start < unknown.length; start += ON_WHATSAPP_BATCH) {
      const batch = unknown.slice(start, start + ON_WHATSAPP_BATCH);
      const results = await engine.contacts.onWhatsApp(batch.map(digitsOf));
      batch.forEach((pn, i) => {
        const result = results[i];
        const exists = !!result?.exists;
        const answer = { pn, exists, jid: exists ? (result?.jid ?? pn) : null, lid: exists ? (result?.lid ?? null) : null, cached: false };
        answers.set(pn, answer);
        if (exists) this.remember(`${sessionId}|${pn}`, { until: now + this.ttlMs, jid: answer.jid!, lid: answer.lid });
      });
    }
    return pns.map((pn) => answers.get(pn)!);
  }

  private remember(key: string, entry: { until: number; jid: string; lid: string | null }): void {
    this.known.delete(key);
    this.known.set(key, entry);
    if (this.known.size > CACHE_LIMIT) this.known.delete(this.known.keys().next().value!);
  }
}
