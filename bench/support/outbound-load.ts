// Outbound texts through the gateway's API, shaped like a WARest client: sessions in parallel, each session's
// requests one at a time (one in flight per session).
import type { BenchGateway, SendMode } from './gateway-process.js';
import { okJson } from './http-json.js';
import { pollUntil } from './wall-clock.js';

/** A gateway session and the phone it writes to. */
export interface Route {
  sessionId: string;
  to: string;
}

async function eachSessionInTurn(routes: Route[], perSession: number, send: (route: Route, n: number) => Promise<string>): Promise<string[][]> {
  return Promise.all(
    routes.map(async (route) => {
      const ids: string[] = [];
      for (let n = 0; n < perSession; n++) ids.push(await send(route, n));
      return ids;
    })
  );
}

/**
 * Each session sends `perSession` texts, each request answered at WhatsApp's server ack (or, with `sync-or-queued`,
 * as queued when the ack is later than the gateway's send timeout); resolves with the ids per session.
 */
export function sendSync(gateway: BenchGateway, routes: Route[], perSession: number, tag: string, mode: Exclude<SendMode, 'async'> = 'sync'): Promise<string[][]> {
  return eachSessionInTurn(routes, perSession, (route, n) => gateway.sendText(route.sessionId, route.to, `${tag} ${n}`, mode));
}

/** Each session fires `perSession` texts with ?async=true (202 at once), then waits until every phone has its texts. */
export async function sendAsyncUntilReceived(gateway: BenchGateway, controlUrl: string, routes: Route[], perSession: number, tag: string, poll: { intervalMs: number; timeoutMs: number }): Promise<void> {
  // Slack of a second for the phones' timestamps (unix seconds), which the `since` filter compares.
  const sinceSeconds = Math.floor(Date.now() / 1000) - 1;
  const ids = await eachSessionInTurn(routes, perSession, (route, n) => gateway.sendText(route.sessionId, route.to, `${tag} ${n}`, 'async'));
  await waitAtPhones(
    controlUrl,
    routes.map((route, i) => ({ phone: route.to, ids: ids[i]! })),
    sinceSeconds,
    poll
  );
}

export interface Expected {
  phone: string;
  ids: string[];
}

/** Of the texts each phone should have (among those since `sinceSeconds`), how many it has not. */
async function missingAt(controlUrl: string, { phone, ids }: Expected, sinceSeconds: number): Promise<number> {
  const { messages } = await okJson(`${controlUrl}/sandbox/v1/accounts/${phone}/messages?since=${sinceSeconds}`);
  const seen = new Set((messages as { id: string }[]).map((m) => m.id));
  return ids.filter((id) => !seen.has(id)).length;
}

/**
 * Polls the phones' inboxes (only messages since `sinceSeconds`, so a poll stays cheap for the sandbox), one phone
 * at a time, until each has every id it expects.
 */
export async function waitAtPhones(controlUrl: string, expected: Expected[], sinceSeconds: number, { intervalMs, timeoutMs }: { intervalMs: number; timeoutMs: number }): Promise<void> {
  let pending = expected;
  await pollUntil(
    async () => {
      const still: Expected[] = [];
      for (const phone of pending) if ((await missingAt(controlUrl, phone, sinceSeconds)) > 0) still.push(phone);
      pending = still;
      return pending.length === 0 ? true : undefined;
    },
    { what: `${expected.reduce((sum, e) => sum + e.ids.length, 0)} texts at ${expected.length} phones`, timeoutMs, intervalMs, progress: () => `${pending.length} phones still missing some` }
  );
}

/** How many expected texts the phones still lack after up to `graceMs` (0 when all arrived). */
export async function missingAtPhones(controlUrl: string, expected: Expected[], sinceSeconds: number, graceMs: number): Promise<number> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    let missing = 0;
    for (const phone of expected) missing += await missingAt(controlUrl, phone, sinceSeconds);
    if (missing === 0 || Date.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
