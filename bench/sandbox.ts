// Sandbox benchmarks: time to link and log in a full Baileys device, idle devices held by one sandbox
// process (and its memory per device), against baselines measured in the same run.
import { trustSandbox, RawClient } from '../test/support/raw-client.js';
import { LightClient } from './support/light-client.js';
import { median, report, spawnJsonLine, timed } from './support/measure.js';
import { proto } from 'baileys';
import { AccountDirectory } from '../src/sandbox/world/accounts.js';
import { encryptFor } from '../src/sandbox/routing/encrypt.js';

const IDLE_DEVICES = Number(process.env.BENCH_IDLE_DEVICES ?? 1000);
const FULL_LINKS = Number(process.env.BENCH_FULL_LINKS ?? 10);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 400);

/** Baseline: one Signal encrypt + decrypt between two parties in this process (no network, no routing). */
async function signalPairsPerSecond(count: number): Promise<number> {
  const directory = new AccountDirectory();
  const alice = directory.create('19500000001', 'A');
  const bob = directory.create('19500000002', 'B');
  const message: proto.IMessage = { conversation: 'benchmark message' };
  const [, ms] = await timed(async () => {
    for (let i = 0; i < count; i++) {
      const { type, ciphertext } = await encryptFor(alice.phoneParty, { account: bob, device: 0 }, message);
      await bob.phoneParty.repository.decryptMessage({ jid: alice.lidDevice(0), type, ciphertext });
    }
  });
  return count / (ms / 1000);
}

async function routedMessagesPerSecond(controlUrl: string, count: number): Promise<number> {
  for (const phone of ['19600000001', '19600000002']) await control(controlUrl, 'POST', '/sandbox/v1/accounts', { phone });
  const [, ms] = await timed(async () => {
    for (let i = 0; i < count; i += 8) {
      await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, j) => control(controlUrl, 'POST', '/sandbox/v1/accounts/19600000001/messages', { to: '19600000002', text: `m${i + j}` })));
    }
    for (;;) {
      const inbox = await control(controlUrl, 'GET', '/sandbox/v1/accounts/19600000002/messages');
      if (inbox.messages.filter((m: { fromMe?: boolean }) => !m.fromMe).length >= count) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  return count / (ms / 1000);
}

async function control(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
  return json;
}

async function linkLight(wsUrl: string, controlUrl: string, phone: string): Promise<LightClient> {
  await control(controlUrl, 'POST', '/sandbox/v1/accounts', { phone, name: `Bench ${phone}` });
  const client = new LightClient(wsUrl);
  let qrSeen: (qr: string) => void = () => undefined;
  const qr = new Promise<string>((resolve) => (qrSeen = resolve));
  const opened = client.connect((value) => qrSeen(value));
  await control(controlUrl, 'POST', `/sandbox/v1/accounts/${phone}/link`, { qr: await qr });
  await opened;
  return client;
}

export async function run(): Promise<void> {
  const { child, line } = await spawnJsonLine(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', '--log-level', 'error']);
  const { wsUrl, controlUrl, rootPublicKey } = line as { wsUrl: string; controlUrl: string; rootPublicKey: string };
  trustSandbox(rootPublicKey);
  try {
    // Baseline: a bare Noise handshake + login round trip of an already linked device.
    const probe = await linkLight(wsUrl, controlUrl, '19000000000');
    probe.close();
    const logins: number[] = [];
    for (let i = 0; i < 30; i++) {
      const again = new LightClient(wsUrl);
      again.creds = probe.creds;
      const [, ms] = await timed(() => again.connect());
      logins.push(ms);
      again.close();
    }
    const loginBaseline = { label: 'handshake+login', value: median(logins) };
    report('handshake + login round trip (baseline)', loginBaseline.value, 'ms');

    const fullLinks: number[] = [];
    for (let i = 0; i < FULL_LINKS; i++) {
      const phone = `1910000${String(i).padStart(4, '0')}`;
      await control(controlUrl, 'POST', '/sandbox/v1/accounts', { phone });
      const client = new RawClient(wsUrl);
      const [, ms] = await timed(async () => {
        client.start();
        await control(controlUrl, 'POST', `/sandbox/v1/accounts/${phone}/link`, { qr: await client.waitForQr() });
        await client.waitForOpen(60_000);
      });
      fullLinks.push(ms);
      client.stop();
    }
    report(`link + login, full Baileys client (median of ${FULL_LINKS})`, median(fullLinks), 'ms', loginBaseline);

    const pairRate = { label: 'in-process Signal encrypt+decrypt pairs/s', value: await signalPairsPerSecond(MESSAGES) };
    report('Signal encrypt + decrypt, in process (baseline)', pairRate.value, 'pairs/s');
    report('1:1 messages routed phone → phone, fully encrypted', await routedMessagesPerSecond(controlUrl, MESSAGES), 'msg/s', pairRate);

    const before = await control(controlUrl, 'GET', '/sandbox/v1/stats');
    const held: LightClient[] = [];
    const [, linkMs] = await timed(async () => {
      for (let i = 0; i < IDLE_DEVICES; i += 50) {
        const batch = Array.from({ length: Math.min(50, IDLE_DEVICES - i) }, (_, j) => linkLight(wsUrl, controlUrl, `1920${String(i + j).padStart(7, '0')}`));
        held.push(...(await Promise.all(batch)));
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = await control(controlUrl, 'GET', '/sandbox/v1/stats');
    report(`idle devices linked and held by one sandbox process`, after.connections, 'devices');
    report('link + login, light client (mean while linking them)', linkMs / IDLE_DEVICES, 'ms', loginBaseline);
    report('sandbox RSS per held device', (after.rssBytes - before.rssBytes) / IDLE_DEVICES / 1024, 'KiB', {
      label: 'of the sandbox baseline RSS',
      value: before.rssBytes / 1024
    });
    for (const client of held) client.close();
  } finally {
    child.kill('SIGTERM');
  }
}
