// Inbound texts: simulated phones write through the sandbox control API, either as fast as each phone can (one
// call in flight per phone) or at a steady rate whatever earlier calls are doing.
import { okJson } from './http-json.js';
import { sleep, wallMs } from './wall-clock.js';

/** A simulated phone and the account (a gateway session or a raw client) it writes to. */
export interface PhoneRoute {
  phone: string;
  to: string;
}

export interface PhoneSend {
  id: string;
  /** wall ms when the control API call was issued */
  issuedAt: number;
  /** wall ms when it answered (the sandbox had encrypted and routed the message) */
  answeredAt: number;
}

async function sendFromPhone(controlUrl: string, route: PhoneRoute, text: string): Promise<PhoneSend> {
  const issuedAt = wallMs();
  const { id } = await okJson(`${controlUrl}/sandbox/v1/accounts/${route.phone}/messages`, 'POST', { to: route.to, text });
  return { id, issuedAt, answeredAt: wallMs() };
}

/** Each phone sends `perPhone` texts one after another; phones in parallel. Resolves with the message ids. */
export async function sendFromPhones(controlUrl: string, routes: PhoneRoute[], perPhone: number, tag: string): Promise<string[]> {
  const perRoute = await Promise.all(
    routes.map(async (route) => {
      const ids: string[] = [];
      for (let n = 0; n < perPhone; n++) ids.push((await sendFromPhone(controlUrl, route, `${tag} ${n}`)).id);
      return ids;
    })
  );
  return perRoute.flat();
}

/** `perSecond` texts a second for `seconds`, round robin over the routes, each issued on schedule. */
export async function sendFromPhonesAtRate(controlUrl: string, routes: PhoneRoute[], perSecond: number, seconds: number, tag: string): Promise<PhoneSend[]> {
  const total = Math.round(perSecond * seconds);
  const start = performance.now();
  const calls: Promise<PhoneSend>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await sleep(wait);
    calls.push(sendFromPhone(controlUrl, routes[i % routes.length]!, `${tag} ${i}`));
  }
  return Promise.all(calls);
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((sorted.length * p) / 100) - 1))]!;
}
