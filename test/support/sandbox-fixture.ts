// Starts an in-process sandbox whose root key this test process trusts, plus helpers for its control API.
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { generateKeyPair } from '../../src/sandbox/wire/certs.js';
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
