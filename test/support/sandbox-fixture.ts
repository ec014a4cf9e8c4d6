// Starts an in-process sandbox whose root key this test process trusts, plus helpers for its control API, the
// `useSandbox` fixture that sets a sandbox test file's world up and tears it down, and small waiters on raw clients.
import type { BaileysEventMap, MessageUpsertType, WAMessage, WASocket } from 'baileys';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { generateKeyPair } from '../../src/sandbox/wire/certs.js';
import type { AddressingMode, Group, Role } from '../../src/sandbox/world/groups.js';
import { fixtureHooks } from './fixture-hooks.js';
import { RawClient, trustSandbox, type RawClientOptions } from './raw-client.js';

const processRoot = generateKeyPair();
trustSandbox(processRoot.public.toString('hex'));

export async function sandbox(): Promise<RunningSandbox> {
  return startSandbox({ rootKey: processRoot });
}

export async function control<T = any>(sb: RunningSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sb.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Creates an account and links a fresh raw Baileys client to it by QR; resolves once the client is open. */
export async function linkedClient(sb: RunningSandbox, phone: string, name = `User ${phone}`, options: RawClientOptions = {}): Promise<RawClient> {
  await createAccount(sb, phone, name);
  const client = new RawClient(sb.wsUrl, options);
  client.start();
  const qr = await client.waitForQr();
  const linked = await control(sb, 'POST', `/sandbox/v1/accounts/${phone}/link`, { qr });
  if (linked.status !== 200) throw new Error(`link: ${JSON.stringify(linked.body)}`);
  await client.waitForOpen();
  return client;
}

/** An account's PN and LID JIDs, creating it (phone only, no linked client) if it does not exist yet. */
export async function accountIds(sb: RunningSandbox, phone: string, name = `User ${phone}`): Promise<{ jid: string; lid: string }> {
  await control(sb, 'POST', '/sandbox/v1/accounts', { phone, name });
  const { status, body } = await control(sb, 'GET', `/sandbox/v1/accounts/${phone}`);
  if (status !== 200) throw new Error(`account: ${JSON.stringify(body)}`);
  return { jid: body.jid, lid: body.lid };
}

/** Resolves once a Baileys query has failed with this WhatsApp error code (Boom `data`), else throws. */
export async function rejectsWithCode(query: Promise<unknown>, code: number): Promise<void> {
  await query.then(
    (value) => {
      throw new Error(`expected error ${code}, got ${JSON.stringify(value)}`);
    },
    (error: { data?: unknown; message?: string }) => {
      if (error.data !== code) throw new Error(`expected error ${code}, got ${String(error.data)} ${error.message ?? ''}`);
    }
  );
}

/** Creates an account (a simulated phone); an existing one is fine. */
export async function createAccount(sb: RunningSandbox, phone: string, name = `User ${phone}`): Promise<{ jid: string; lid: string }> {
  const created = await control(sb, 'POST', '/sandbox/v1/accounts', { phone, name });
  if (created.status !== 201 && created.status !== 409) throw new Error(`account: ${JSON.stringify(created.body)}`);
  return (await control(sb, 'GET', `/sandbox/v1/accounts/${phone}`)).body;
}

/** Polls until `probe` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The first message in a simulated phone's chats that matches. */
export function phoneMessage(sb: RunningSandbox, phone: string, match: (message: any) => boolean, what = 'a message'): Promise<any> {
  return eventually(async () => (await control(sb, 'GET', `/sandbox/v1/accounts/${phone}/messages`)).body.messages.find(match), `${what} at ${phone}`);
}

/** Message `id` in a simulated phone's chats, as the control API describes it, once it is there and matches. */
export function phoneMessageById(sb: RunningSandbox, phone: string, id: string, match: (message: any) => boolean = () => true): Promise<any> {
  return eventually(async () => {
    const { status, body } = await control(sb, 'GET', `/sandbox/v1/accounts/${phone}/messages/${id}`);
    return status === 200 && match(body) ? body : undefined;
  }, `message ${id} at ${phone}`);
}

type Linked = readonly (readonly [phone: string, name: string])[];

/** One raw client for each `linked` entry, in order. */
export type LinkedClients<L extends Linked> = { -readonly [K in keyof L]: RawClient };

export interface SandboxSetup<L extends Linked> {
  /** accounts (simulated phones with no linked client) to create first, phone → name */
  accounts?: Record<string, string>;
  /** raw clients to link by QR, in this order, as [phone, name]; a phone given twice gets two companions */
  linked?: L;
  /** whether the linked clients trust the sandbox media host, to upload media */
  media?: boolean;
}

export interface SandboxFixture<L extends Linked> {
  /** the running sandbox */
  readonly sb: RunningSandbox;
  /** the linked clients, in the order of `linked` */
  readonly clients: LinkedClients<L>;
  /** an account's LID JID */
  readonly lid: (phone: string) => string;
  /** this fixture, once its `before` hook has set everything up */
  readonly ready: Promise<SandboxFixture<L>>;
}

/**
 * Registers node:test `before`/`after` hooks (call it at a test file's top level): `before` starts a sandbox,
 * creates `accounts` and links `linked`; `after` stops every client it linked, then the sandbox. Top-level
 * `before` hooks do not wait for each other (Node 20 starts each as it is registered), so a file binds what its
 * tests use by awaiting `ready` in a `before` of its own:
 *
 *     const fixture = useSandbox({ accounts: { [BOB]: 'Bob' }, linked: [[ALICE, 'Alice']] });
 *     let sb: RunningSandbox;
 *     let alice: RawClient;
 *     before(async () => ({ sb, clients: [alice] } = await fixture.ready));
 */
export function useSandbox<const L extends Linked = []>(setup: SandboxSetup<L> = {}): SandboxFixture<L> {
  let running: RunningSandbox | undefined;
  const clients: RawClient[] = [];
  const started = (): RunningSandbox => {
    if (!running) throw new Error('the sandbox is not started yet: await fixture.ready in a before() hook');
    return running;
  };
  const fixture: SandboxFixture<L> = {
    get sb() {
      return started();
    },
    clients: clients as unknown as LinkedClients<L>,
    lid(phone) {
      const account = started().network.accounts.get(phone);
      if (!account) throw new Error(`no account ${phone}`);
      return account.lidJid;
    },
    get ready() {
      return ready;
    }
  };
  const ready = fixtureHooks(
    async () => {
      const sb = (running = await sandbox());
      for (const [phone, name] of Object.entries(setup.accounts ?? {})) await createAccount(sb, phone, name);
      for (const [phone, name] of setup.linked ?? []) clients.push(await linkedClient(sb, phone, name, setup.media ? { mediaCaPem: sb.mediaCaPem } : {}));
      return fixture;
    },
    async () => {
      for (const client of clients) client.stop();
      await running?.stop();
    }
  );
  return fixture;
}

/** A phone number's PN JID. */
export const pn = (phone: string): string => `${phone}@s.whatsapp.net`;

/** A linked client's socket. */
export const sock = (client: RawClient): WASocket => client.sock!;

/** The first `messages.upsert` (seen or upcoming) carrying message `id` in a shape that matches, and that message. */
export async function upsertOf(client: RawClient, id: string, match: (message: WAMessage) => boolean = () => true): Promise<{ type: MessageUpsertType; message: WAMessage }> {
  const upsert = await client.waitFor('messages.upsert', ({ messages }) => messages.some((m) => m.key.id === id && match(m)));
  return { type: upsert.type, message: upsert.messages.find((m) => m.key.id === id)! };
}

/** The first `groups.update` (seen or upcoming) with an update to group `id` that matches. */
export function groupUpdate(client: RawClient, id: string, match: (update: Record<string, unknown>) => boolean): Promise<BaileysEventMap['groups.update']> {
  return client.waitFor('groups.update', (updates) => updates.some((u) => u.id === id && match(u as Record<string, unknown>)));
}

export interface WorldGroupSpec {
  subject: string;
  /** phone of the account that created the group and set its subject */
  creator: string;
  /** [phone, role] of each member, in this order */
  members: readonly (readonly [phone: string, role: Role])[];
  addressingMode?: AddressingMode;
}

/** A group made directly in the sandbox world, without the group IQs, with a new group's default settings. */
export function worldGroup(sb: RunningSandbox, { subject, creator, members, addressingMode = 'lid' }: WorldGroupSpec): Group {
  const account = (phone: string) => {
    const found = sb.network.accounts.get(phone);
    if (!found) throw new Error(`no account ${phone}`);
    return found;
  };
  const group = sb.network.groups.create({
    subject,
    subjectOwner: account(creator),
    creator: account(creator),
    announce: false,
    locked: false,
    joinApproval: false,
    memberAddMode: 'admin_add',
    ephemeral: 0,
    addressingMode
  });
  for (const [phone, role] of members) group.members.set(phone, { account: account(phone), role, joinedAt: group.createdAt });
  return group;
}
