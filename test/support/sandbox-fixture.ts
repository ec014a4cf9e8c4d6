// Starts an in-process sandbox whose root key this test process trusts, plus helpers for its control API.
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { generateKeyPair } from '../../src/sandbox/wire/certs.js';
import { RawClient, trustSandbox } from './raw-client.js';

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
export async function linkedClient(sb: RunningSandbox, phone: string, name = `User ${phone}`): Promise<RawClient> {
  const created = await control(sb, 'POST', '/sandbox/v1/accounts', { phone, name });
  if (created.status !== 201 && created.status !== 409) throw new Error(`account: ${JSON.stringify(created.body)}`);
  const client = new RawClient(sb.wsUrl);
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
