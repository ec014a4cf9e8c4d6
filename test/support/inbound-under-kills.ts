// The "nothing lost" trial: phones stream inbound texts to a linked session while the gateway process is
// SIGKILLed at random moments and started again on the same database. Shared by the e2e test (a size CI can
// afford) and `npm run bench -- reliability` (2,000 messages, 5 kills). It reports what reached the webhook.
import { randomBytes } from 'node:crypto';
import type { Dialect } from './gateway-harness.js';
import { GatewayProcess, TestDatabase, TestSandbox, eventually, gatewayEnv, linkSession, sessionStatus } from './gateway-harness.js';
import { WebhookReceiver } from './webhook-receiver.js';

export interface TrialOptions {
  dialect: Dialect;
  messages: number;
  phones: number;
  kills: number;
  /** seed of the kill times */
  seed: number;
  /** how long all the sending takes (the kills fall inside it) */
  spreadMs: number;
}

export interface TrialReport {
  sent: number;
  /** distinct messages that reached the webhook */
  delivered: number;
  lost: string[];
  /** deliveries of a message already delivered */
  duplicates: number;
  /** duplicates whose event id differs from the first delivery's */
  duplicatesWithNewId: number;
  /** per phone, messages delivered (first time) after a later message of the same chat */
  outOfOrder: number;
  kills: number;
  seconds: number;
}

const OUR_PHONE = '15557770000';
const phoneOf = (i: number) => `1555777${String(i + 1).padStart(4, '0')}`;

/** Mulberry32: a small seeded generator, so a failing run can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runInboundUnderKills(options: TrialOptions): Promise<TrialReport> {
  const started = Date.now();
  const random = seeded(options.seed);
  const sb = await TestSandbox.start();
  const db = await TestDatabase.create(options.dialect);
  const receiver = await new WebhookReceiver('reliability-secret').start();
  const adminKey = `admin-${randomBytes(12).toString('hex')}`;
  const env = gatewayEnv(db, sb, adminKey);
  let gateway = await GatewayProcess.start(env, adminKey);
  try {
    await linkSession(gateway, sb, 'rel', OUR_PHONE);
    await gateway.request('POST', '/api/v1/session/rel/config', { body: { webhookUrl: receiver.url, webhookSecret: receiver.secret } });
    const phones = Array.from({ length: options.phones }, (_, i) => phoneOf(i));
    for (const phone of phones) await sb.ok('POST', '/sandbox/v1/accounts', { phone, name: `Phone ${phone.slice(-4)}` });

    // Each phone sends its share in order, paced so that all of it takes about `spreadMs`.
    const perPhone = Math.ceil(options.messages / phones.length);
    const gapMs = options.spreadMs / perPhone;
    const texts: string[] = [];
    const sending = phones.map(async (phone, p) => {
      for (let n = 0; n < perPhone && p + n * phones.length < options.messages; n++) {
        const text = `${phone}#${n}`;
        texts.push(text);
        await sb.ok('POST', `/sandbox/v1/accounts/${phone}/messages`, { to: OUR_PHONE, text });
        await sleep(gapMs * (0.5 + random()));
      }
    });

    const killAt = Array.from({ length: options.kills }, () => Math.round(random() * options.spreadMs)).sort((a, b) => a - b);
    let kills = 0;
    for (const at of killAt) {
      await sleep(Math.max(0, started + at - Date.now()));
      await gateway.kill('SIGKILL');
      kills += 1;
      gateway = await GatewayProcess.start(env, adminKey);
    }
    await Promise.all(sending);
    await eventually(async () => ((await sessionStatus(gateway, 'rel')) === 'WORKING' ? true : undefined), { timeoutMs: 30_000, what: 'the session back' });

    const firstById = new Map<string, string>();
    const received = () => receiver.events('message_received').filter((d) => d.signatureValid);
    const all = new Set(texts);
    await eventually(() => (new Set(received().map((d) => d.body.data.text)).size >= all.size ? true : undefined), { timeoutMs: 60_000 + options.messages * 20, what: 'every message at the webhook' }).catch(() => undefined);

    let duplicates = 0;
    let duplicatesWithNewId = 0;
    const firstSeen: string[] = [];
    for (const delivery of received()) {
      const messageId = delivery.body.data.messageId as string;
      const eventId = delivery.headers['x-warest-event-id'] as string;
      const known = firstById.get(messageId);
      if (known === undefined) {
        firstById.set(messageId, eventId);
        firstSeen.push(delivery.body.data.text as string);
      } else {
        duplicates += 1;
        if (known !== eventId) duplicatesWithNewId += 1;
      }
    }
    const delivered = new Set(firstSeen);
    let outOfOrder = 0;
    const highest = new Map<string, number>();
    for (const text of firstSeen) {
      const [phone, n] = text.split('#') as [string, string];
      if ((highest.get(phone) ?? -1) > Number(n)) outOfOrder += 1;
      highest.set(phone, Math.max(highest.get(phone) ?? -1, Number(n)));
    }
    return {
      sent: texts.length,
      delivered: delivered.size,
      lost: texts.filter((t) => !delivered.has(t)),
      duplicates,
      duplicatesWithNewId,
      outOfOrder,
      kills,
      seconds: Math.round((Date.now() - started) / 1000)
    };
  } finally {
    await gateway.kill('SIGKILL');
    await receiver.stop();
    await sb.sandbox.stop();
    await db.dispose();
  }
}
