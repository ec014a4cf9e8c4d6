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
