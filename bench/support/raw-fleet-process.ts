// The baseline side of the messaging benchmark, as its own process (as the gateway is): unmodified Baileys
// clients (test/support/raw-client.ts, linked by QR like any device), driven over IPC by raw-fleet.ts. They send
// texts with `sock.sendMessage`, each awaited to WhatsApp's server ack (what the gateway's sync answer waits for),
// and note when each inbound message's `messages.upsert` fired.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateMessageIDV2, type BinaryNode, type WASocket } from 'baileys';
import { RawClient, trustSandbox } from '../../test/support/raw-client.js';
import { okJson } from './http-json.js';
import { pollUntil, wallMs, withTimeout } from './wall-clock.js';

const { FLEET_WS_URL, FLEET_CONTROL_URL, FLEET_TRUST_ROOT } = process.env;
if (!FLEET_WS_URL || !FLEET_CONTROL_URL || !FLEET_TRUST_ROOT) throw new Error('FLEET_WS_URL, FLEET_CONTROL_URL and FLEET_TRUST_ROOT are required');
trustSandbox(FLEET_TRUST_ROOT);
// libsignal narrates session changes on the console (whole session records); the figures are all this
// process should add to the bench's output, and its errors come back over IPC.
console.info = console.warn = console.log = () => undefined;

const ACK_TIMEOUT_MS = 15_000; // the gateway's default WAYGATE_SEND_TIMEOUT_MS
const LINK_BATCH = 10;

const clients: RawClient[] = [];
/** How late this process's timers ran: Baileys ends a connection whose keep-alive tick finds 35 s without data, so a stall of this process alone can close its sockets. */
const loopDelay = monitorEventLoopDelay({ resolution: 20 });
loopDelay.enable();
/** sends that went again: after their client lost its connection and reconnected, or without an ack in time */
let resends = 0;
const upsertedAt = new Map<string, number>();
const awaitedAcks = new Map<string, { resolve(): void; reject(error: Error): void }>();
const socketsWithAckListener = new WeakSet<WASocket>();

function listenForAcks(sock: WASocket): void {
  if (socketsWithAckListener.has(sock)) return;
  socketsWithAckListener.add(sock);
  sock.ws.on('CB:ack,class:message', ({ attrs }: BinaryNode) => {
    const waiter = awaitedAcks.get(attrs.id!);
    if (!waiter) return;
    awaitedAcks.delete(attrs.id!);
    if (attrs.error) waiter.reject(new Error(`the server refused ${attrs.id} (ack error ${attrs.error})`));
    else waiter.resolve();
  });
}

function serverAck(id: string): Promise<void> {
  const acked = new Promise<void>((resolve, reject) => awaitedAcks.set(id, { resolve, reject }));
  return withTimeout(acked, ACK_TIMEOUT_MS, `the server ack of ${id}`).finally(() => awaitedAcks.delete(id));
}

const SEND_ATTEMPTS = 3;
/** A reconnect is a new Noise handshake and login, queued behind whatever the sandbox is doing at 1,000 clients. */
const RECONNECT_TIMEOUT_MS = 180_000;
const ACK_TIMED_OUT = /timed out after .* waiting for the server ack/;

/**
 * What an application does when a send fails: on a closed connection, wait for the client to reconnect and send
 * again; without an ack in time, send again with the same id (as the gateway's queue does; the phone keeps one).
 */
async function sendAndAwaitAck(client: RawClient, to: string, text: string): Promise<void> {
  const id = generateMessageIDV2(client.sock?.user?.id);
  for (let attempt = 1; ; attempt++) {
    const sock = client.sock;
    try {
      return await sendOnce(client, to, text, id);
    } catch (error) {
      const closed = /Connection Closed|Connection was lost/.test(String(error));
      if (attempt === SEND_ATTEMPTS || !(closed || ACK_TIMED_OUT.test(String(error)))) throw error;
      resends++;
      if (closed) await pollUntil(async () => (client.sock !== sock && client.connection === 'open') || undefined, { what: 'a raw client to reconnect', timeoutMs: RECONNECT_TIMEOUT_MS, intervalMs: 100 });
    }
  }
}

async function sendOnce(client: RawClient, to: string, text: string, id: string): Promise<void> {
  const sock = client.sock!;
  listenForAcks(sock);
  // Listening before the send: the ack can arrive before sendMessage resolves.
  const acked = serverAck(id);
  acked.catch(() => undefined);
  await sock.sendMessage(`${to}@s.whatsapp.net`, { text }, { messageId: id });
  await acked;
}

/**
 * Says on stderr (the bench passes it on) when a linked client's connection closes, why, and the longest stall of
 * this process's event loop since the last such line: a run that stops on a client that did not come back shows
 * what happened before.
 */
function reportCloses(client: RawClient, phone: string): void {
  let opened = false;
  client.on('connection.update', ({ connection, lastDisconnect }: { connection?: string; lastDisconnect?: { error?: any } }) => {
    if (connection === 'open') opened = true;
    if (connection !== 'close' || !opened) return;
    const error = lastDisconnect?.error;
    const stallMs = Math.round(loopDelay.max / 1e6);
    loopDelay.reset();
    const why = error ? `${error.output?.statusCode ?? error.name} ${error.message}` : 'no error given';
    process.stderr.write(`[raw fleet ${process.pid}] ${new Date().toISOString()} ${phone} closed: ${why} (longest event-loop stall here since the last close: ${stallMs} ms)\n`);
  });
}

/** Creates the account and has its phone scan a new client's QR; the client is not open yet. */
async function pair(phone: string): Promise<RawClient> {
  await okJson(`${FLEET_CONTROL_URL}/sandbox/v1/accounts`, 'POST', { phone, name: `Raw ${phone}` });
  const client = new RawClient(FLEET_WS_URL!, { reconnect: true });
  reportCloses(client, phone);
  client.start();
  await okJson(`${FLEET_CONTROL_URL}/sandbox/v1/accounts/${phone}/link`, 'POST', { qr: await client.waitForQr() });
  return client;
}

async function whenOpen(client: RawClient): Promise<RawClient> {
  await client.waitForOpen(60_000);
  client.on('messages.upsert', ({ messages }: { messages: { key: { id?: string | null; fromMe?: boolean | null } }[] }) => {
    const at = wallMs();
    for (const { key } of messages) if (!key.fromMe && key.id && !upsertedAt.has(key.id)) upsertedAt.set(key.id, at);
  });
  return client;
}

/** RawClient keeps every event for its waiters; nothing here waits on old ones, so they are dropped. */
function forgetEvents(): void {
  for (const client of clients) client.events.length = 0;
}

const commands = {
  /** The gateway bench's schedule (gateway-process.ts, gateway.ts): QRs scanned in batches, then all awaited open. */
  async link({ phones }: { phones: string[] }): Promise<void> {
    const paired: RawClient[] = [];
    for (let i = 0; i < phones.length; i += LINK_BATCH) paired.push(...(await Promise.all(phones.slice(i, i + LINK_BATCH).map(pair))));
    clients.push(...(await Promise.all(paired.map(whenOpen))));
    forgetEvents();
  },

  /**
   * Client `first + i` sends `perClient` texts to recipients[i], one at a time; the clients run in parallel. Resolves with the
   * number of sends that went again (sendAndAwaitAck).
   */
  async sendTexts({ recipients, first, perClient, tag }: { recipients: string[]; first: number; perClient: number; tag: string }): Promise<number> {
    if (first + recipients.length > clients.length) throw new Error(`senders ${first}–${first + recipients.length - 1} asked for, ${clients.length} linked`);
    forgetEvents();
    const before = resends;
    await Promise.all(recipients.map(async (to, i) => {
      for (let n = 0; n < perClient; n++) await sendAndAwaitAck(clients[first + i]!, to, `${tag} ${n}`);
    }));
    return resends - before;
  },

  /**
   * Links one more client to the existing account `phone` (whose history is set); resolves with the ms from posting
   * the QR until Baileys has emitted `messaging-history.set` with `chats` chats and `messages` messages in all.
   */
  async linkForHistory({ phone, chats, messages }: { phone: string; chats: number; messages: number }): Promise<number> {
    const client = new RawClient(FLEET_WS_URL!);
    client.start();
    clients.push(client);
    const qr = await client.waitForQr();
    let seen = { chats: 0, messages: 0 };
    const synced = new Promise<void>((resolve) => {
      client.on('messaging-history.set', (set: { chats: unknown[]; messages: unknown[] }) => {
        seen = { chats: seen.chats + set.chats.length, messages: seen.messages + set.messages.length };
        if (seen.chats >= chats && seen.messages >= messages) resolve();
      });
    });
    const start = performance.now();
    await okJson(`${FLEET_CONTROL_URL}/sandbox/v1/accounts/${phone}/link`, 'POST', { qr });
    await withTimeout(synced, 600_000, `the history of ${phone} (${chats} chats, ${messages} messages) at a raw client`);
    const ms = performance.now() - start;
    client.events.length = 0;
    return ms;
  },

  /** Resolves once every client is open (a client that lost its connection has reconnected). */
  async allOpen(): Promise<void> {
    await pollUntil(() => clients.every((c) => c.connection === 'open') || undefined, {
      what: 'every raw client to be open',
      timeoutMs: RECONNECT_TIMEOUT_MS,
      progress: () => `${clients.filter((c) => c.connection !== 'open').length} not open`
    });
  },

  /** When each id's messages.upsert fired (wall ms), or null for ids not received yet. */
  async upsertTimes({ ids }: { ids: string[] }): Promise<(number | null)[]> {
    forgetEvents();
    return ids.map((id) => upsertedAt.get(id) ?? null);
  },

  async stop(): Promise<void> {
    for (const client of clients) client.stop();
  }
};

type Command = keyof typeof commands;

process.on('message', async ({ id, command, args }: { id: number; command: Command; args: any }) => {
  try {
    const result = await commands[command](args);
    process.send!({ id, result });
  } catch (error) {
    process.send!({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
